/**
 * The little XML UPnP IGD needs (UPnP Device Architecture 1.1 §2.3, IGD WANIPConnection v1/v2):
 * the WAN connection service in a device description, SOAP requests, and the fields or the
 * fault of a SOAP answer. Pure functions over text already capped in size by the caller.
 * @module
 */
import { NatError } from './errors.ts';

/** The WAN connection services we can drive, most capable first (geth `natupnp.go` tries these). */
export const WAN_SERVICE_TYPES: readonly string[] = [
  'urn:schemas-upnp-org:service:WANIPConnection:2',
  'urn:schemas-upnp-org:service:WANIPConnection:1',
  'urn:schemas-upnp-org:service:WANPPPConnection:1',
];

/** A WAN connection service of a gateway: its type and absolute control URL. */
export interface WanService {
  readonly serviceType: string;
  readonly controlUrl: URL;
}

/**
 * The best WAN connection service of a device description fetched from `location`.
 * @throws {NatError} BAD_REPLY when there is none or its control URL is not http(s)
 */
export function parseDescription(xml: string, location: URL): WanService {
  const base = xmlField(xml, 'URLBase');
  const services = [
    ...xml.matchAll(/<(?:[\w-]+:)?service\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?service>/g),
  ]
    .map((m) => ({
      type: xmlField(m[1] ?? '', 'serviceType'),
      control: xmlField(m[1] ?? '', 'controlURL'),
    }))
    .filter((s) => s.type !== undefined && s.control !== undefined);
  for (const wanted of WAN_SERVICE_TYPES) {
    const found = services.find((s) => s.type === wanted);
    if (found?.control === undefined) continue;
    let url: URL;
    try {
      url = new URL(found.control, base === undefined || base === '' ? location : base);
    } catch (err) {
      throw new NatError('BAD_REPLY', `upnp control url ${found.control} is invalid`, {
        cause: err,
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NatError('BAD_REPLY', `upnp control url ${url.href} is not http`);
    }
    return { serviceType: wanted, controlUrl: url };
  }
  throw new NatError('BAD_REPLY', 'upnp device has no WANIPConnection or WANPPPConnection service');
}

/** The SOAP envelope of `action` with `args` in order (UDA 1.1 §3.2.1). */
export function encodeSoapRequest(
  serviceType: string,
  action: string,
  args: readonly (readonly [string, string | number])[],
): string {
  const body = args.map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
  return (
    '<?xml version="1.0"?>\r\n' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
    's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
    `<u:${action} xmlns:u="${escapeXml(serviceType)}">${body}</u:${action}>` +
    '</s:Body></s:Envelope>'
  );
}

/**
 * Checks a SOAP answer: a fault becomes GATEWAY_ERROR with its UPnP error code.
 * @throws {NatError} GATEWAY_ERROR for a fault, BAD_REPLY for an answer without `<action>Response`
 */
export function checkSoapResponse(xml: string, action: string): void {
  if (/<(?:[\w-]+:)?Fault\b/.test(xml)) {
    const code = xmlField(xml, 'errorCode') ?? '?';
    const text = xmlField(xml, 'errorDescription') ?? 'fault';
    throw new NatError('GATEWAY_ERROR', `upnp ${action} failed: ${code} ${text}`);
  }
  if (!new RegExp(`<(?:[\\w-]+:)?${action}Response\\b`).test(xml)) {
    throw new NatError('BAD_REPLY', `upnp ${action} answer has no ${action}Response`);
  }
}

/** The text of the first element `name` (any namespace prefix), unescaped; undefined if absent. */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}\\b[^>]*>([^<]*)</(?:[\\w-]+:)?${name}>`).exec(xml);
  return m?.[1] === undefined ? undefined : unescapeXml(m[1].trim());
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
}
