/**
 * IP addresses in the 16-byte form used in node database keys (go-ethereum `net.IP.To16`):
 * IPv4 becomes the IPv4-mapped IPv6 address `::ffff:a.b.c.d`.
 * @module
 */
import { ipToBytes } from '../ip.ts';

/** The all-zero 16-byte address, used for per-node (not per-IP) items such as the record seq. */
export const ZERO_IP: Uint8Array = new Uint8Array(16);

/**
 * Returns the 16-byte form of `ip`: an IPv4 or IPv6 address in text form (no zone), or 4/16 raw
 * bytes.
 * @throws TypeError if `ip` is none of these.
 */
export function ipTo16(ip: string | Uint8Array): Uint8Array {
  const bytes = typeof ip === 'string' ? ipToBytes(ip) : ip;
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`ip: expected an IPv4 or IPv6 address, got ${String(ip)}`);
  }
  if (bytes.length === 16) return Uint8Array.from(bytes);
  if (bytes.length !== 4)
    throw new TypeError(`ip: expected 4 or 16 bytes, got ${bytes.length} bytes`);
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(bytes, 12);
  return out;
}
