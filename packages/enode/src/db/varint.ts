/**
 * Unsigned LEB128 varints and zig-zag signed varints, byte-compatible with Go's
 * `encoding/binary` `PutUvarint`/`PutVarint` (which go-ethereum's node database uses for its
 * values). Decoders never throw: malformed, overlong or trailing-garbage input yields `undefined`.
 * @module
 */

const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
/** Longest encoding of a 64-bit value. */
const MAX_VARINT_LEN = 10;

/** Encodes `value` (0 ≤ value < 2^64) as an unsigned varint. */
export function encodeUvarint(value: bigint): Uint8Array {
  if (value < 0n || value > MAX_UINT64) {
    throw new RangeError(`value: expected an unsigned 64-bit integer, got ${value}`);
  }
  const out: number[] = [];
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Decodes a buffer holding exactly one unsigned varint, or `undefined` if it does not. */
export function decodeUvarint(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0 || bytes.length > MAX_VARINT_LEN) return undefined;
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const last = i === bytes.length - 1;
    if (last !== b < 0x80) return undefined; // continuation bits must end exactly here
    if (i === MAX_VARINT_LEN - 1 && b > 1) return undefined; // overflows 64 bits
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
  }
  return value;
}

/** Encodes a signed 64-bit `value` as a zig-zag varint (Go `binary.PutVarint`). */
export function encodeVarint(value: bigint): Uint8Array {
  if (value < MIN_INT64 || value > MAX_INT64) {
    throw new RangeError(`value: expected a signed 64-bit integer, got ${value}`);
  }
  const zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
  return encodeUvarint(zigzag);
}

/** Decodes a buffer holding exactly one zig-zag varint, or `undefined` if it does not. */
export function decodeVarint(bytes: Uint8Array): bigint | undefined {
  const u = decodeUvarint(bytes);
  if (u === undefined) return undefined;
  return (u & 1n) === 0n ? u >> 1n : -((u + 1n) >> 1n);
}
