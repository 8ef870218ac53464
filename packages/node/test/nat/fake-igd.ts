/**
 * A fake UPnP internet gateway on loopback: an HTTP server (OS-picked port) serving a device
 * description and a SOAP control endpoint, recording each action and its arguments.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One SOAP call the fake received. */
export interface SoapCall {
  readonly action: string;
  readonly args: Readonly<Record<string, string>>;
}

/** A replacement answer for a call: a status and body, or 'hang' to never answer. */
export type IgdOverride = { readonly status: number; readonly body: string } | 'hang';

/** The fake IGD. `serviceType` picks the WAN service it announces (IGD v1 by default). */
export class FakeIgd {
  readonly calls: SoapCall[] = [];
  externalIp = '203.0.113.9';
  serviceType = 'urn:schemas-upnp-org:service:WANIPConnection:1';
  /** Per action, an answer to give instead of success. */
  readonly overrides = new Map<string, IgdOverride>();
  /** Replaces the description document. */
  description: string | undefined;
  readonly #server: Server;
  readonly #hanging: ServerResponse[] = [];

  private constructor(server: Server) {
    this.#server = server;
    server.on('request', (req, res) => {
      void this.#handle(req, res);
    });
  }

  static async start(): Promise<FakeIgd> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeIgd(server);
  }

  get location(): URL {
    const { port } = this.#server.address() as AddressInfo;
    return new URL(`http://127.0.0.1:${port}/rootDesc.xml`);
  }

  /** The calls of one action. */
  actions(action: string): SoapCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (req.method === 'GET' && req.url === '/rootDesc.xml') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(this.description ?? this.#descriptionXml());
      return;
    }
    const action = /<u:(\w+)/.exec(body)?.[1] ?? '?';
    const args: Record<string, string> = {};
    for (const m of body.matchAll(/<(New\w+)>([^<]*)<\/New\w+>/g)) args[m[1] ?? ''] = m[2] ?? '';
    this.calls.push({ action, args });
    const override = this.overrides.get(action);
    if (override === 'hang') {
      this.#hanging.push(res);
      return;
    }
    if (override !== undefined) {
      res.writeHead(override.status, { 'content-type': 'text/xml' });
      res.end(override.body);
      return;
    }
    const fields =
      action === 'GetExternalIPAddress'
        ? `<NewExternalIPAddress>${this.externalIp}</NewExternalIPAddress>`
        : action === 'AddAnyPortMapping'
          ? `<NewReservedPort>${Number(args.NewExternalPort) + 1}</NewReservedPort>`
          : '';
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      soapEnvelope(
        `<u:${action}Response xmlns:u="${this.serviceType}">${fields}</u:${action}Response>`,
      ),
    );
  }

  #descriptionXml(): string {
    return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <device>
    <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
    <serviceList><service>
      <serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>
      <controlURL>/l3f</controlURL>
    </service></serviceList>
    <deviceList><device>
      <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
      <deviceList><device>
        <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
        <serviceList><service>
          <serviceType>${this.serviceType}</serviceType>
          <controlURL>/ctl/IPConn</controlURL>
        </service></serviceList>
      </device></deviceList>
    </device></deviceList>
  </device>
</root>`;
  }
}

/** A SOAP envelope around `body`. */
export function soapEnvelope(body: string): string {
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
}

/** A SOAP fault with a UPnP error code. */
export function soapFault(code: number, text: string): string {
  return soapEnvelope(
    `<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${text}</errorDescription></UPnPError></detail></s:Fault>`,
  );
}
