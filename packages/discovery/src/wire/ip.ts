/**
 * IP text ↔ bytes for endpoints. A minimal internal copy of the rules in `@ethp2p/enode`'s
 * (unexported) `ip.ts`: IPv4-mapped IPv6 is plain IPv4, IPv6 text is RFC 5952.
 * @module
 */
import { isIP } from 'node:net';

/** The 4 or 16 bytes of an IP address in text form, or `undefined` if it is not one. */
export function ipToBytes(text: string): Uint8Array | undefined {
  const kind = isIP(text);
  if (kind === 4) return Uint8Array.from(text.split('.').map(Number));
  if (kind !== 6 || text.includes('%')) return undefined;
  const bytes = parseIpv6(text);
  return isMapped(bytes) ? bytes.slice(12) : bytes;
}

/** The canonical text of 4 or 16 address bytes (the caller checks the length). */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4 || isMapped(bytes)) return bytes.subarray(bytes.length - 4).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (best < 0) return hex(groups);
  return `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

function isMapped(b: Uint8Array): boolean {
  if (b.length !== 16 || b[10] !== 0xff || b[11] !== 0xff) return false;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return true;
}

/** Parses text that `isIP` accepted as IPv6 (`::` and a trailing dotted quad included). */
function parseIpv6(text: string): Uint8Array {
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!g.includes('.')) {
        out.push(Number.parseInt(g, 16));
        continue;
      }
      const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
      out.push((a << 8) | b, (c << 8) | d);
    }
    return out;
  };
  const [head = '', tail] = text.split('::');
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  const groups = [...left, ...zeros, ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}
