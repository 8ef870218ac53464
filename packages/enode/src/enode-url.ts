/**
 * enode URLs: `enode://<128 hex public key>@<ip or DNS name>:<tcp port>[?discport=<udp port>]`,
 * and the incomplete form `enode://<128 hex public key>` (geth `p2p/enode/urlv4.go`).
 * IPv6 hosts are bracketed. IP addresses are normalized (IPv4-mapped IPv6 becomes IPv4, IPv6 is
 * written in RFC 5952 form); anything else that looks like a DNS name is kept as `hostname`.
 * @see https://github.com/ethereum/devp2p/blob/master/enode.md
 * @module
 */
import { checkPort } from '@ethp2p/base';
import { assertBytes, bytesToHex, hexToBytes, isValidPublicKey } from '@ethp2p/crypto';
import { EnodeUrlError } from './errors.ts';
import { normalizeIp } from './ip.ts';

/** Prefix of an enode URL. */
export const ENODE_URL_PREFIX = 'enode://';

/** The parts of an enode URL. An incomplete URL has only `publicKey`. */
export interface EnodeUrl {
  /** The 64-byte uncompressed public key (X‖Y). */
  readonly publicKey: Uint8Array;
  /** Canonical IP address text, if the host is an IP address. */
  readonly ip?: string;
  /** The host as written, if it is a DNS name (to be resolved later). */
  readonly hostname?: string;
  /** TCP (RLPx) port. */
  readonly tcp?: number;
  /** UDP (discovery) port: `discport` if given, otherwise the TCP port. */
  readonly udp?: number;
}

const HEX_128 = /^[0-9a-fA-F]{128}$/;
const DNS_NAME =
  /^(?=.{1,253}\.?$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

/**
 * Parses an enode URL.
 * @throws {EnodeUrlError} MISSING_PREFIX, INVALID_PUBLIC_KEY, INVALID_HOST, INVALID_PORT or
 * INVALID_DISCPORT, with geth's messages ("invalid port", "invalid discport in query", ...)
 * @example `parseEnodeUrl('enode://…@10.3.58.6:30303?discport=30301').udp // 30301`
 */
export function parseEnodeUrl(url: string): EnodeUrl {
  if (typeof url !== 'string') throw new TypeError(`url: expected string, got ${typeof url}`);
  if (!url.startsWith(ENODE_URL_PREFIX)) {
    throw new EnodeUrlError('MISSING_PREFIX', `missing '${ENODE_URL_PREFIX}' prefix`);
  }
  const rest = url.slice(ENODE_URL_PREFIX.length);
  const at = rest.indexOf('@');
  if (at < 0) return { publicKey: parsePublicKey(rest) };
  const publicKey = parsePublicKey(rest.slice(0, at));
  const q = rest.indexOf('?', at);
  const hostPort = q < 0 ? rest.slice(at + 1) : rest.slice(at + 1, q);
  const { host, port } = splitHostPort(hostPort);
  const tcp = parsePort(port, 'INVALID_PORT', 'invalid port');
  let udp = tcp;
  if (q >= 0) {
    const discport = new URLSearchParams(rest.slice(q + 1)).get('discport');
    if (discport !== null)
      udp = parsePort(discport, 'INVALID_DISCPORT', 'invalid discport in query');
  }
  const ip = normalizeIp(host);
  if (ip !== undefined) return { publicKey, ip, tcp, udp };
  if (!DNS_NAME.test(host)) throw new EnodeUrlError('INVALID_HOST', 'invalid host');
  return { publicKey, hostname: host, tcp, udp };
}

/**
 * Formats an enode URL. Without `ip` or `hostname` it is the incomplete form; `discport` is
 * written only when `udp` differs from `tcp`; a missing `tcp` is written as 0.
 * @throws {TypeError|RangeError} on a bad public key, address, hostname or port
 */
export function formatEnodeUrl(parts: EnodeUrl): string {
  assertBytes('publicKey', parts.publicKey, 64);
  const key = ENODE_URL_PREFIX + bytesToHex(parts.publicKey);
  let host: string;
  if (parts.ip !== undefined) {
    const ip = normalizeIp(parts.ip);
    if (ip === undefined) throw new TypeError(`ip: expected an IP address, got ${parts.ip}`);
    host = ip.includes(':') ? `[${ip}]` : ip;
  } else if (parts.hostname !== undefined) {
    if (!DNS_NAME.test(parts.hostname)) {
      throw new TypeError(`hostname: expected a DNS name, got ${parts.hostname}`);
    }
    host = parts.hostname;
  } else {
    return key;
  }
  const tcp = checkPort('tcp', parts.tcp ?? 0);
  const udp = checkPort('udp', parts.udp ?? tcp);
  return `${key}@${host}:${tcp}${udp === tcp ? '' : `?discport=${udp}`}`;
}

function parsePublicKey(hex: string): Uint8Array {
  if (hex.length !== 128) {
    throw new EnodeUrlError(
      'INVALID_PUBLIC_KEY',
      'invalid public key (wrong length, want 128 hex chars)',
    );
  }
  if (!HEX_128.test(hex))
    throw new EnodeUrlError('INVALID_PUBLIC_KEY', 'invalid public key (invalid hex)');
  const key = hexToBytes(hex);
  if (!isValidPublicKey(key)) {
    throw new EnodeUrlError(
      'INVALID_PUBLIC_KEY',
      'invalid public key (invalid secp256k1 public key)',
    );
  }
  return key;
}

function splitHostPort(hostPort: string): { host: string; port: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new EnodeUrlError('INVALID_HOST', 'invalid host');
    const after = hostPort.slice(close + 1);
    if (!after.startsWith(':')) throw new EnodeUrlError('INVALID_PORT', 'invalid port');
    const host = hostPort.slice(1, close);
    if (!host.includes(':')) throw new EnodeUrlError('INVALID_HOST', 'invalid host');
    return { host, port: after.slice(1) };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) throw new EnodeUrlError('INVALID_PORT', 'invalid port');
  const host = hostPort.slice(0, colon);
  if (host.includes(':'))
    throw new EnodeUrlError('INVALID_HOST', 'invalid host (IPv6 must be bracketed)');
  return { host, port: hostPort.slice(colon + 1) };
}

function parsePort(
  text: string,
  code: 'INVALID_PORT' | 'INVALID_DISCPORT',
  message: string,
): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw new EnodeUrlError(code, message);
  const port = Number(text);
  if (port > 0xffff) throw new EnodeUrlError(code, message);
  return port;
}
