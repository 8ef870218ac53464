/**
 * A small canonical RLP reader and writer for the eth codecs. The reader walks one level at a
 * time and returns views into its input, so a codec can keep an opaque item (a header, a body, a
 * transaction) as the exact bytes the peer sent. It enforces the canonical rules geth's decoder
 * enforces (a single byte below 0x80 is never wrapped, the long form is only for 56 bytes and
 * more, no leading zeros in lengths or integers), so an accepted item re-encodes to the same
 * bytes. The writer splices already-encoded items into lists. Internal: not part of the API.
 * @see https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
 * @module
 */
import { EthError } from '../errors.ts';

/** One RLP item: `raw` is its full encoding, `payload` its content (views of the input). */
export interface RlpItem {
  readonly list: boolean;
  readonly raw: Uint8Array;
  readonly payload: Uint8Array;
}

/** An EthError MALFORMED with `message`. */
export function malformed(message: string): EthError {
  return new EthError('MALFORMED', message);
}

/** Reads the item that starts at `pos` of `buf`. @throws {EthError} MALFORMED */
export function readItem(buf: Uint8Array, pos: number): RlpItem {
  const first = buf[pos];
  if (first === undefined) throw malformed('rlp: unexpected end of input');
  if (first < 0x80) return item(false, buf, pos, pos, 1);
  if (first <= 0xb7) {
    const size = first - 0x80;
    if (size === 1 && (buf[pos + 1] ?? 0x80) < 0x80) throw malformed('rlp: non-canonical size');
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

/** The single item that makes up all of `data`. @throws {EthError} MALFORMED */
export function readRoot(data: Uint8Array, what: string): RlpItem {
  const root = readItem(data, 0);
  if (root.raw.length !== data.length) throw malformed(`${what}: trailing bytes after the payload`);
  return root;
}

/** The elements of a list item, in order. @throws {EthError} MALFORMED */
export function listItems(it: RlpItem | undefined, what: string): RlpItem[] {
  if (it === undefined) throw malformed(`${what}: missing`);
  if (!it.list) throw malformed(`${what}: expected a list`);
  const out: RlpItem[] = [];
  const p = it.payload;
  for (let pos = 0; pos < p.length; ) {
    const next = readItem(p, pos);
    out.push(next);
    pos += next.raw.length;
  }
  return out;
}

/** The elements of a list item, which must number exactly `n`. @throws {EthError} MALFORMED */
export function fields(it: RlpItem | undefined, n: number, what: string): RlpItem[] {
  const items = listItems(it, what);
  if (items.length !== n) throw malformed(`${what}: expected ${n} elements, got ${items.length}`);
  return items;
}

/** The bytes of a string item (a view). @throws {EthError} MALFORMED if it is a list */
export function stringPayload(it: RlpItem | undefined, what: string): Uint8Array {
  if (it === undefined) throw malformed(`${what}: missing`);
  if (it.list) throw malformed(`${what}: expected a byte string, got a list`);
  return it.payload;
}

/** A copy of a byte string of exactly `n` bytes. @throws {EthError} MALFORMED */
export function readFixed(it: RlpItem | undefined, n: number, what: string): Uint8Array {
  const b = stringPayload(it, what);
  if (b.length !== n) throw malformed(`${what}: expected ${n} bytes, got ${b.length}`);
  return b.slice();
}

/** A canonical unsigned integer of at most `maxBytes` bytes. @throws {EthError} MALFORMED */
export function readBigUint(it: RlpItem | undefined, maxBytes: number, what: string): bigint {
  const b = uintBytes(it, maxBytes, what);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** A canonical u64 (request ids, block numbers, counts). @throws {EthError} MALFORMED */
export function readU64(it: RlpItem | undefined, what: string): bigint {
  return readBigUint(it, 8, what);
}

/** A canonical integer of at most 4 bytes, as a number. @throws {EthError} MALFORMED */
export function readU32(it: RlpItem | undefined, what: string): number {
  const b = uintBytes(it, 4, what);
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

/** A boolean as geth encodes it: 0x80 (false) or 0x01 (true). @throws {EthError} MALFORMED */
export function readBool(it: RlpItem | undefined, what: string): boolean {
  const b = stringPayload(it, what);
  if (b.length === 0) return false;
  if (b.length === 1 && b[0] === 1) return true;
  throw malformed(`${what}: expected a boolean (0 or 1)`);
}

/** The RLP of a byte string. */
export function encodeBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && (b[0] as number) < 0x80) return b.slice();
  const out = new Uint8Array(headerSize(b.length) + b.length);
  writeHeader(out, 0x80, b.length);
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

/** The RLP of a boolean as geth writes it. */
export function encodeBool(v: boolean): Uint8Array {
  return Uint8Array.of(v ? 0x01 : 0x80);
}

/** The RLP of a list of already-encoded items. */
export function encodeList(items: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const it of items) size += it.length;
  const out = new Uint8Array(headerSize(size) + size);
  let pos = writeHeader(out, 0xc0, size);
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

/** Writes a string (base 0x80) or list (base 0xc0) header at 0; returns its length. */
function writeHeader(out: Uint8Array, base: number, size: number): number {
  if (size < 56) {
    out[0] = base + size;
    return 1;
  }
  const lenOfLen = headerSize(size) - 1;
  out[0] = base + 55 + lenOfLen;
  for (let i = lenOfLen, s = size; i >= 1; i--, s = Math.floor(s / 256)) out[i] = s % 256;
  return 1 + lenOfLen;
}
