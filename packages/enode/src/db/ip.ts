/**
 * IP addresses in the 16-byte form used in node database keys (go-ethereum `net.IP.To16`):
 * IPv4 becomes the IPv4-mapped IPv6 address `::ffff:a.b.c.d`.
 * @module
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The all-zero 16-byte address, used for per-node (not per-IP) items such as the record seq. */
export const ZERO_IP: Uint8Array = new Uint8Array(16);

/**
 * Returns the 16-byte form of `ip`: a dotted IPv4 string, an IPv6 string (optionally with an
 * embedded IPv4 tail, no zone), or 4/16 raw bytes.
 * @throws TypeError if `ip` is none of these.
 */
export function ipTo16(ip: string | Uint8Array): Uint8Array {
  if (ip instanceof Uint8Array) {
    if (ip.length === 16) return Uint8Array.from(ip);
    if (ip.length === 4) return mapV4(ip);
    throw new TypeError(`ip: expected 4 or 16 bytes, got ${ip.length} bytes`);
  }
  if (typeof ip === 'string') {
    if (isIPv4(ip)) return mapV4(parseV4(ip));
    if (isIPv6(ip) && !ip.includes('%')) return parseV6(ip);
  }
  throw new TypeError(`ip: expected an IPv4 or IPv6 address, got ${String(ip)}`);
}

function mapV4(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseV4(ip: string): Uint8Array {
  return Uint8Array.from(ip.split('.').map((part) => Number.parseInt(part, 10)));
}

/** Parses an address already validated by `isIPv6`. */
function parseV6(ip: string): Uint8Array {
  let text = ip;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = parseV4(last);
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  const head = toWords(halves[0] ?? '');
  const rest = halves.length > 1 ? toWords(halves[1] ?? '') : [];
  const zeros = halves.length > 1 ? 8 - head.length - rest.length - tail.length : 0;
  const words = [...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  words.forEach((word, i) => {
    out[2 * i] = word >> 8;
    out[2 * i + 1] = word & 0xff;
  });
  return out;
}

function toWords(groups: string): number[] {
  return groups === '' ? [] : groups.split(':').map((g) => Number.parseInt(g, 16));
}
