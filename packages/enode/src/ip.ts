/**
 * IP address helpers for enode URLs and ENR `ip`/`ip6` entries: text ↔ bytes, canonical text
 * (RFC 5952 for IPv6), the locality score geth uses to pick an endpoint, and the port check shared
 * by URLs, records and nodes.
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are normalized to plain IPv4 everywhere,
 * as geth does with `netip.Addr.Unmap`.
 * @module
 */
import { isIP } from 'node:net';

/**
 * The 4 or 16 bytes of an IP address in text form, or `undefined` if it is not one.
 * IPv4-mapped IPv6 addresses give 4 bytes. Zone IDs (`fe80::1%eth0`) are not accepted.
 */
export function ipToBytes(text: string): Uint8Array | undefined {
  const kind = isIP(text);
  if (kind === 4) return parseIpv4(text);
  if (kind !== 6 || text.includes('%')) return undefined;
  const bytes = parseIpv6(text);
  return isMapped(bytes) ? bytes.slice(12) : bytes;
}

/** Parses text that `isIP` accepted as IPv4 (four decimal parts): on every packet's hot path. */
function parseIpv4(text: string): Uint8Array {
  const out = new Uint8Array(4);
  let part = 0;
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      out[index++] = part;
      part = 0;
    } else {
      part = part * 10 + (c - 0x30);
    }
  }
  out[index] = part;
  return out;
}

/** The canonical text of 4 or 16 address bytes; IPv4-mapped IPv6 gives dotted IPv4. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new RangeError(`ip: expected 4 or 16 bytes, got ${bytes.length}`);
  if (isMapped(bytes)) return bytes.slice(12).join('.');
  return formatIpv6(bytes);
}

/** The canonical text of an IP address, or `undefined` if `text` is not one. */
export function normalizeIp(text: string): string | undefined {
  const bytes = ipToBytes(text);
  return bytes === undefined ? undefined : bytesToIp(bytes);
}

/**
 * How "global" an address is: 0 unspecified, 1 loopback, 2 link-local, 3 private (RFC 1918,
 * fc00::/7), 4 anything else (geth `enode.localityScore`). Higher is more global.
 */
export function ipLocality(bytes: Uint8Array): number {
  if (bytes.length === 4) return ipv4Locality(bytes);
  if (bytes.every((b) => b === 0)) return 0;
  if (bytes.subarray(0, 15).every((b) => b === 0) && bytes[15] === 1) return 1;
  const b0 = bytes[0] as number;
  const b1 = bytes[1] as number;
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 2;
  if ((b0 & 0xfe) === 0xfc) return 3;
  return 4;
}

function ipv4Locality(bytes: Uint8Array): number {
  const [a = 0, b = 0] = bytes;
  if (bytes.every((x) => x === 0)) return 0;
  if (a === 127) return 1;
  if (a === 169 && b === 254) return 2;
  if (a === 10 || (a === 172 && (b & 0xf0) === 16) || (a === 192 && b === 168)) return 3;
  return 4;
}

function isMapped(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Parses text that `isIP` already accepted as IPv6. */
function parseIpv6(text: string): Uint8Array {
  let groups: number[] = [];
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  const left = parse(head);
  if (tail === undefined) {
    groups = left;
  } else {
    const right = parse(tail);
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
