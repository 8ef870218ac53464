/**
 * ENR entry values: turning caller-supplied values into raw RLP (with the standard keys checked)
 * and reading the standard keys back (`ip`, `ip6`, `tcp`, `udp`, `tcp6`, `udp6`).
 * @module
 */

import { checkPort } from '@ethp2p/base';
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { EnrError } from '../errors.ts';
import { bytesToIp, ipToBytes } from '../ip.ts';
import { decodeRlpValue } from './codec.ts';

/**
 * A value for {@link Enr.sign}: bytes, a UTF-8 string, an unsigned integer, a list of values,
 * or `{ rlp }` holding one already-encoded RLP item (to copy an entry from another record).
 * For `ip` and `ip6` a string is an address in text form; ports are numbers in 0–65535.
 * `{ rlp }` values are taken as they are, without these checks.
 */
export type EnrValue =
  | Uint8Array
  | string
  | number
  | bigint
  | { readonly rlp: Uint8Array }
  | readonly EnrValue[];

const PORT_KEYS: ReadonlySet<string> = new Set(['tcp', 'udp', 'tcp6', 'udp6', 'quic', 'quic6']);

/**
 * The raw RLP for `value` under `key`.
 * @throws {TypeError|RangeError} for values that do not fit the key
 */
export function encodeEntry(key: string, value: EnrValue): Uint8Array {
  const field = `entries.${key}`;
  if (isRaw(value)) return encodeAny(field, value);
  if (key === 'ip' || key === 'ip6') return encodeBytes(ipEntryBytes(field, key, value));
  if (PORT_KEYS.has(key)) return encodeUint(checkPort(field, value));
  return encodeAny(field, value);
}

function isRaw(value: EnrValue): value is { readonly rlp: Uint8Array } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'rlp' in value;
}

function ipEntryBytes(field: string, key: 'ip' | 'ip6', value: EnrValue): Uint8Array {
  const want = key === 'ip' ? 4 : 16;
  const bytes = typeof value === 'string' ? ipToBytes(value) : value;
  if (!(bytes instanceof Uint8Array) || bytes.length !== want) {
    const what = key === 'ip' ? 'an IPv4 address' : 'an IPv6 address';
    throw new TypeError(`${field}: expected ${what}, got ${String(value)}`);
  }
  return bytes;
}

function encodeAny(field: string, value: EnrValue): Uint8Array {
  if (value instanceof Uint8Array) return encodeBytes(value);
  if (typeof value === 'string') return encodeBytes(new TextEncoder().encode(value));
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = BigInt(value);
    if (n < 0n || (typeof value === 'number' && !Number.isSafeInteger(value))) {
      throw new RangeError(`${field}: expected an unsigned integer, got ${String(value)}`);
    }
    return encodeUint(n);
  }
  if (Array.isArray(value)) {
    const items = value.map((v: EnrValue, i: number) => encodeAny(`${field}[${i}]`, v));
    return encodeList(items);
  }
  if (isRaw(value)) {
    try {
      decodeRlpValue(value.rlp);
    } catch (err) {
      throw new TypeError(`${field}: expected one canonical RLP item in rlp`, { cause: err });
    }
    return Uint8Array.from(value.rlp);
  }
  throw new TypeError(`${field}: expected an ENR value, got ${typeof value}`);
}

/**
 * The bytes of a byte-string value.
 * @throws {EnrError} INVALID_ENTRY if the value is a list
 */
export function valueBytes(key: string, raw: Uint8Array): Uint8Array {
  const value = decodeRlpValue(raw);
  if (!(value instanceof Uint8Array)) throw new EnrError('INVALID_ENTRY', `${key} entry is a list`);
  return value;
}

/** An `ip` (4 bytes) or `ip6` (16 bytes) entry as text. @throws {EnrError} INVALID_ENTRY */
export function readIp(key: 'ip' | 'ip6', raw: Uint8Array): string {
  const bytes = valueBytes(key, raw);
  const want = key === 'ip' ? 4 : 16;
  if (bytes.length !== want) {
    throw new EnrError('INVALID_ENTRY', `${key} entry is ${bytes.length} bytes, want ${want}`);
  }
  return bytesToIp(bytes);
}

/** A port entry as a number (canonical big-endian uint, at most 65535). @throws {EnrError} INVALID_ENTRY */
export function readPort(key: string, raw: Uint8Array): number {
  const bytes = valueBytes(key, raw);
  if (bytes.length > 2 || bytes[0] === 0) {
    throw new EnrError('INVALID_ENTRY', `${key} entry is not a 16-bit port`);
  }
  let port = 0;
  for (const b of bytes) port = port * 256 + b;
  return port;
}
