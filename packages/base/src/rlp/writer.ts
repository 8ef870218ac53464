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
  const out = new Uint8Array(bytesSize(b));
  writeBytes(out, 0, b);
  return out;
}

/** How many bytes the RLP of the byte string `b` takes. */
export function bytesSize(b: Uint8Array): number {
  if (b.length === 1 && (b[0] as number) < 0x80) return 1;
  return headerSize(b.length) + b.length;
}

/**
 * Writes the RLP of the byte string `b` at `pos` of `out` ({@link bytesSize} bytes); returns
 * where it ends. For encoders that size a whole structure first and write it into one array.
 */
export function writeBytes(out: Uint8Array, pos: number, b: Uint8Array): number {
  if (b.length === 1 && (b[0] as number) < 0x80) {
    out[pos] = b[0] as number;
    return pos + 1;
  }
  const start = writeHeader(out, pos, 0x80, b.length);
  out.set(b, start);
  return start + b.length;
}

/**
 * The RLP of a non-negative integer (0 is the empty string).
 * @throws {RangeError} for a negative or non-integer value
 */
export function encodeUint(v: bigint | number): Uint8Array {
  if (typeof v === 'number') {
    checkSafeUint(v);
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

/**
 * How many bytes the RLP of a safe non-negative integer takes (at most 8: its header is one byte).
 * @throws {RangeError} for a negative, non-integer or unsafe value
 */
export function uintSize(v: number): number {
  checkSafeUint(v);
  if (v < 0x80) return 1;
  let size = 1;
  for (let s = v; s > 0; s = Math.floor(s / 256)) size++;
  return size;
}

/**
 * Writes the RLP of a safe non-negative integer at `pos` of `out` ({@link uintSize} bytes);
 * returns where it ends.
 * @throws {RangeError} for a negative, non-integer or unsafe value
 */
export function writeUint(out: Uint8Array, pos: number, v: number): number {
  const size = uintSize(v) - 1;
  if (size === 0) {
    out[pos] = v === 0 ? 0x80 : v;
    return pos + 1;
  }
  out[pos] = 0x80 + size;
  for (let i = size, s = v; i >= 1; i--, s = Math.floor(s / 256)) out[pos + i] = s % 256;
  return pos + 1 + size;
}

/** How many bytes the header of a list with `payloadSize` bytes of items takes. */
export function listHeaderSize(payloadSize: number): number {
  return headerSize(payloadSize);
}

/** Writes the header of a list of `payloadSize` bytes at `pos` of `out`; returns where it ends. */
export function writeListHeader(out: Uint8Array, pos: number, payloadSize: number): number {
  return writeHeader(out, pos, 0xc0, payloadSize);
}

function checkSafeUint(v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`rlp: expected a non-negative safe integer, got ${v}`);
  }
}

/** A safe non-negative integer: at most 7 bytes, so the header is one byte. */
function encodeSafeUint(v: number): Uint8Array {
  const out = new Uint8Array(uintSize(v));
  writeUint(out, 0, v);
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
