/**
 * The RLP writer. Encoders splice already-encoded items into lists, so a decoder's opaque
 * elements go back on the wire byte for byte.
 * @module
 */

/**
 * A value {@link encodeRlp} writes: bytes, a string (as UTF-8, never as hex), a non-negative
 * integer (number or bigint; 0 is the empty string), or a list of these.
 */
export type RlpInput = Uint8Array | string | number | bigint | readonly RlpInput[];

const utf8 = new TextEncoder();

/** The RLP of a byte string. The result never aliases `b`. */
export function encodeBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && (b[0] as number) < 0x80) return b.slice();
  const out = new Uint8Array(headerSize(b.length) + b.length);
  writeHeader(out, 0, 0x80, b.length);
  out.set(b, out.length - b.length);
  return out;
}

/**
 * The RLP of a non-negative integer (0 is the empty string).
 * @throws {RangeError} for a negative or non-integer value
 */
export function encodeUint(v: bigint | number): Uint8Array {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`rlp: expected a non-negative safe integer, got ${v}`);
    }
    return encodeSafeUint(v);
  }
  if (v < 0n) throw new RangeError(`rlp: expected a non-negative integer, got ${v}`);
  if (v <= 0x1f_ffff_ffff_ffffn) return encodeSafeUint(Number(v));
  let hex = v.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const size = hex.length / 2;
  const out = new Uint8Array(headerSize(size) + size);
  const start = writeHeader(out, 0, 0x80, size);
  for (let i = 0; i < size; i++) out[start + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A safe non-negative integer: at most 7 bytes, so the header is one byte. */
function encodeSafeUint(v: number): Uint8Array {
  if (v === 0) return Uint8Array.of(0x80);
  if (v < 0x80) return Uint8Array.of(v);
  let size = 0;
  for (let s = v; s > 0; s = Math.floor(s / 256)) size++;
  const out = new Uint8Array(1 + size);
  out[0] = 0x80 + size;
  for (let i = size, s = v; i >= 1; i--, s = Math.floor(s / 256)) out[i] = s % 256;
  return out;
}

/** The RLP of a boolean as go-ethereum writes it (0x01 or 0x80). */
export function encodeBool(v: boolean): Uint8Array {
  return Uint8Array.of(v ? 0x01 : 0x80);
}

/**
 * The RLP of a list of already-encoded items, written after `reserve` zero bytes that the caller
 * fills in (a packet envelope uses this to avoid copying the body).
 */
export function encodeList(items: readonly Uint8Array[], reserve = 0): Uint8Array {
  let size = 0;
  for (const it of items) size += it.length;
  const out = new Uint8Array(reserve + headerSize(size) + size);
  let pos = writeHeader(out, reserve, 0xc0, size);
  for (const it of items) {
    out.set(it, pos);
    pos += it.length;
  }
  return out;
}

/**
 * The RLP of any {@link RlpInput}.
 * @throws {RangeError} for a negative or non-integer number
 */
export function encodeRlp(value: RlpInput): Uint8Array {
  if (value instanceof Uint8Array) return encodeBytes(value);
  if (typeof value === 'string') return encodeBytes(utf8.encode(value));
  if (typeof value === 'number' || typeof value === 'bigint') return encodeUint(value);
  return encodeList(value.map(encodeRlp));
}

function headerSize(size: number): number {
  if (size < 56) return 1;
  let n = 1;
  for (let s = size; s > 0; s = Math.floor(s / 256)) n++;
  return n;
}

/** Writes a string (base 0x80) or list (base 0xc0) header at `pos`; returns the end offset. */
function writeHeader(out: Uint8Array, pos: number, base: number, size: number): number {
  if (size < 56) {
    out[pos] = base + size;
    return pos + 1;
  }
  const lenOfLen = headerSize(size) - 1;
  out[pos] = base + 55 + lenOfLen;
  for (let i = lenOfLen, s = size; i >= 1; i--, s = Math.floor(s / 256)) out[pos + i] = s % 256;
  return pos + 1 + lenOfLen;
}
