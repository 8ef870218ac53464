/**
 * A small canonical RLP reader and writer for the discv4 hot path. The reader returns views into
 * its input (no copies) and enforces geth's canonical rules (no single byte below 0x80 in a
 * 1-byte string, no long form for short payloads, no leading zeros in lengths or integers), so
 * every packet we accept re-encodes to the same bytes. Internal: not part of the public API.
 * @see https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
 * @module
 */
import { WireError } from './errors.ts';

/** One RLP item: `raw` is its full encoding, `payload` its content (both views of the input). */
export interface RlpItem {
  readonly list: boolean;
  readonly raw: Uint8Array;
  readonly payload: Uint8Array;
}

function malformed(message: string): WireError {
  return new WireError('MALFORMED', message);
}

/** Reads the item that starts at `pos`. @throws {WireError} MALFORMED */
export function readItem(buf: Uint8Array, pos: number): RlpItem {
  const first = buf[pos];
  if (first === undefined) throw malformed('rlp: unexpected end of input');
  if (first < 0x80) return item(false, buf, pos, pos, 1);
  if (first <= 0xb7) {
    const size = first - 0x80;
    if (size === 1 && (buf[pos + 1] ?? 0) < 0x80) throw malformed('rlp: non-canonical size');
    return item(false, buf, pos, pos + 1, size);
  }
  if (first < 0xc0) return longItem(false, buf, pos, first - 0xb7);
  if (first <= 0xf7) return item(true, buf, pos, pos + 1, first - 0xc0);
  return longItem(true, buf, pos, first - 0xf7);
}

function longItem(list: boolean, buf: Uint8Array, pos: number, lenOfLen: number): RlpItem {
  if (pos + 1 + lenOfLen > buf.length) throw malformed('rlp: truncated length');
  if (buf[pos + 1] === 0) throw malformed('rlp: non-canonical size');
  let size = 0;
  for (let i = 1; i <= lenOfLen; i++) {
    size = size * 256 + (buf[pos + i] as number);
    if (size > buf.length) throw malformed('rlp: item longer than input');
  }
  if (size < 56) throw malformed('rlp: non-canonical size');
  return item(list, buf, pos, pos + 1 + lenOfLen, size);
}

function item(list: boolean, buf: Uint8Array, pos: number, start: number, size: number): RlpItem {
  const end = start + size;
  if (end > buf.length) throw malformed('rlp: item longer than input');
  return { list, raw: buf.subarray(pos, end), payload: buf.subarray(start, end) };
}

/** The elements of a list item, in order. @throws {WireError} MALFORMED */
export function listItems(list: RlpItem, what: string): RlpItem[] {
  if (!list.list) throw malformed(`${what}: expected a list`);
  const out: RlpItem[] = [];
  const p = list.payload;
  for (let pos = 0; pos < p.length; ) {
    const it = readItem(p, pos);
    out.push(it);
    pos += it.raw.length;
  }
  return out;
}

/** The bytes of a string item. @throws {WireError} MALFORMED if it is a list */
export function stringPayload(it: RlpItem | undefined, what: string): Uint8Array {
  if (it === undefined) throw malformed(`${what}: missing`);
  if (it.list) throw malformed(`${what}: expected a byte string, got a list`);
  return it.payload;
}

/** A canonical unsigned integer of at most `maxBytes` bytes. @throws {WireError} MALFORMED */
export function readBigUint(it: RlpItem | undefined, maxBytes: number, what: string): bigint {
  const b = uintBytes(it, maxBytes, what);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** A canonical unsigned integer of at most 6 bytes, as a number. @throws {WireError} MALFORMED */
export function readUint(it: RlpItem | undefined, maxBytes: number, what: string): number {
  const b = uintBytes(it, maxBytes, what);
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

function uintBytes(it: RlpItem | undefined, maxBytes: number, what: string): Uint8Array {
  const b = stringPayload(it, what);
  if (b.length > maxBytes) throw malformed(`${what}: integer longer than ${maxBytes} bytes`);
  if (b[0] === 0) throw malformed(`${what}: integer has leading zeros`);
  return b;
}

/** The RLP of a byte string. */
export function encodeBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && (b[0] as number) < 0x80) return b;
  const out = new Uint8Array(headerSize(b.length) + b.length);
  writeHeader(out, 0, 0x80, b.length);
  out.set(b, out.length - b.length);
  return out;
}

/** The RLP of an unsigned integer (0 is the empty string). */
export function encodeUint(v: bigint | number): Uint8Array {
  let n = BigInt(v);
  if (n === 0n) return Uint8Array.of(0x80);
  const bytes: number[] = [];
  for (; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  return encodeBytes(Uint8Array.from(bytes));
}

/**
 * The RLP of a list of already-encoded items, written after `reserve` zero bytes that the
 * caller fills in (the envelope uses this to avoid copying the body).
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
