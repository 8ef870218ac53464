/**
 * The strict RLP reader: one level at a time, returning views into its input (no copies), so a
 * decoder can keep an opaque element (a header, a transaction) as the exact bytes it came in.
 * It enforces go-ethereum's canonical rules (`rlp/decode.go`): a single byte below 0x80 is never
 * wrapped, the long form is only for 56 bytes and more, lengths and integers have no leading
 * zeros. So every item it accepts re-encodes to the same bytes.
 * @see https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
 * @module
 */
import { RlpError } from './errors.ts';

/** One RLP item: `raw` is its full encoding, `payload` its content (both views of the input). */
export interface RlpItem {
  readonly list: boolean;
  readonly raw: Uint8Array;
  readonly payload: Uint8Array;
}

/** What a byte string or list decodes to when the shape is not known in advance. */
export type RlpDecoded = Uint8Array | RlpDecoded[];

/** Options of {@link readRoot} and {@link decodeRlp}. */
export interface RootOptions {
  /** Accept bytes after the item (EIP-8 handshake padding). Default false. */
  trailing?: boolean;
}

/**
 * Reads the item that starts at `pos` of `buf`.
 * @throws {RlpError} TRUNCATED or NON_CANONICAL
 */
export function readItem(buf: Uint8Array, pos: number): RlpItem {
  return readAt(buf, pos);
}

function readAt(buf: Uint8Array, pos: number): Item {
  const first = buf[pos];
  if (first === undefined) throw new RlpError('TRUNCATED', 'rlp: unexpected end of input');
  if (first < 0x80) return item(false, buf, pos, pos, 1);
  if (first <= 0xb7) {
    const size = first - 0x80;
    if (size === 1) {
      const only = buf[pos + 1];
      if (only === undefined) throw new RlpError('TRUNCATED', 'rlp: item longer than input');
      if (only < 0x80) throw new RlpError('NON_CANONICAL', 'rlp: non-canonical size');
    }
    return item(false, buf, pos, pos + 1, size);
  }
  if (first < 0xc0) return longItem(false, buf, pos, first - 0xb7);
  if (first <= 0xf7) return item(true, buf, pos, pos + 1, first - 0xc0);
  return longItem(true, buf, pos, first - 0xf7);
}

function longItem(list: boolean, buf: Uint8Array, pos: number, lenOfLen: number): Item {
  if (pos + 1 + lenOfLen > buf.length) throw new RlpError('TRUNCATED', 'rlp: truncated length');
  if (buf[pos + 1] === 0) throw new RlpError('NON_CANONICAL', 'rlp: non-canonical size');
  let size = 0;
  for (let i = 1; i <= lenOfLen; i++) {
    size = size * 256 + (buf[pos + i] as number);
    if (size > buf.length) throw new RlpError('TRUNCATED', 'rlp: item longer than input');
  }
  if (size < 56) throw new RlpError('NON_CANONICAL', 'rlp: non-canonical size');
  return item(list, buf, pos, pos + 1 + lenOfLen, size);
}

function item(list: boolean, buf: Uint8Array, pos: number, start: number, size: number): Item {
  const end = start + size;
  if (end > buf.length) throw new RlpError('TRUNCATED', 'rlp: item longer than input');
  return new Item(list, buf, pos, start, end);
}

/**
 * An item as offsets into its input: `raw` and `payload` are made on first use (and kept), so a
 * decoder that reads only payloads, as most do, makes one view per item instead of two. Neighbors
 * packets, with five items per entry, made most of a simulated datagram's garbage this way.
 */
class Item implements RlpItem {
  readonly list: boolean;
  readonly #buf: Uint8Array;
  readonly #pos: number;
  readonly #start: number;
  readonly #end: number;
  #raw: Uint8Array | undefined;
  #payload: Uint8Array | undefined;

  constructor(list: boolean, buf: Uint8Array, pos: number, start: number, end: number) {
    this.list = list;
    this.#buf = buf;
    this.#pos = pos;
    this.#start = start;
    this.#end = end;
  }

  get raw(): Uint8Array {
    this.#raw ??= this.#buf.subarray(this.#pos, this.#end);
    return this.#raw;
  }

  get payload(): Uint8Array {
    this.#payload ??= this.#buf.subarray(this.#start, this.#end);
    return this.#payload;
  }

  /** The length of `raw`, without making it. */
  get rawLength(): number {
    return this.#end - this.#pos;
  }
}

/**
 * The single item that makes up `data` (or starts it, with `trailing`).
 * @throws {RlpError} TRAILING_BYTES, or what {@link readItem} throws
 */
export function readRoot(data: Uint8Array, what: string, options: RootOptions = {}): RlpItem {
  const root = readAt(data, 0);
  if (options.trailing !== true && root.rawLength !== data.length) {
    throw new RlpError('TRAILING_BYTES', `${what}: trailing bytes after the payload`);
  }
  return root;
}

/**
 * The elements of a list item, in order, read one at a time as the caller asks for them: a
 * caller that stops early never reads (or checks) the rest of the list.
 * @throws {RlpError} UNEXPECTED if it is missing or not a list (at once); what
 *   {@link readItem} throws (when the bad element is reached)
 */
export function iterateItems(it: RlpItem | undefined, what: string): IterableIterator<RlpItem> {
  const p = listPayload(it, what);
  let pos = 0;
  const iterator: IterableIterator<RlpItem> = {
    next(): IteratorResult<RlpItem> {
      if (pos >= p.length) return { done: true, value: undefined };
      const value = readAt(p, pos);
      pos += value.rawLength;
      return { done: false, value };
    },
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}

function listPayload(it: RlpItem | undefined, what: string): Uint8Array {
  if (it === undefined) throw new RlpError('UNEXPECTED', `${what}: missing`);
  if (!it.list) throw new RlpError('UNEXPECTED', `${what}: expected a list`);
  return it.payload;
}

/**
 * The elements of a list item, in order, refusing a list of more than `maxItems` elements at
 * the first element past the limit (nothing after it is read).
 * @throws {RlpError} TOO_LARGE past `maxItems`; UNEXPECTED if it is missing or not a list; what
 *   {@link readItem} throws
 */
export function listItems(
  it: RlpItem | undefined,
  what: string,
  maxItems: number = Number.POSITIVE_INFINITY,
): RlpItem[] {
  const out: RlpItem[] = [];
  for (const next of iterateItems(it, what)) {
    if (out.length >= maxItems) throw tooLarge(what, maxItems);
    out.push(next);
  }
  return out;
}

/**
 * The first `n` elements of a list item (fewer if the list is shorter). The elements after them
 * are never read: a request of more items than will be served costs no more than `n` items.
 * @throws {RlpError} UNEXPECTED if it is missing or not a list; what {@link readItem} throws
 */
export function takeItems(it: RlpItem | undefined, n: number, what: string): RlpItem[] {
  const out: RlpItem[] = [];
  if (n <= 0) {
    listPayload(it, what);
    return out;
  }
  for (const next of iterateItems(it, what)) {
    out.push(next);
    if (out.length >= n) break;
  }
  return out;
}

function tooLarge(what: string, maxItems: number): RlpError {
  return new RlpError('TOO_LARGE', `${what}: more than ${maxItems} elements`);
}

/**
 * How many elements {@link fields} counts past the ones it expects, to name the count in its
 * message; beyond that it stops reading.
 */
const COUNT_PAST = 16;

/**
 * The elements of a list item, which must number exactly `n`. It reads at most a few elements
 * past `n`, so a list of millions costs no more than a short one.
 * @throws {RlpError}
 */
export function fields(it: RlpItem | undefined, n: number, what: string): RlpItem[] {
  const p = listPayload(it, what);
  const items: RlpItem[] = new Array(n);
  let pos = 0;
  let count = 0;
  // Exactly as many reads as elements expected when the list is right, as it nearly always is.
  for (; count < n && pos < p.length; count++) {
    const next = readAt(p, pos);
    items[count] = next;
    pos += next.rawLength;
  }
  if (count === n && pos === p.length) return items;
  for (; count <= n + COUNT_PAST && pos < p.length; count++) pos += readAt(p, pos).rawLength;
  const got = count > n + COUNT_PAST ? `more than ${n + COUNT_PAST}` : count;
  throw new RlpError('UNEXPECTED', `${what}: expected ${n} elements, got ${got}`);
}

/**
 * The elements of a list item, which must number at least `n` and at most `max` (default: no
 * limit): the extra elements a newer version may append are allowed (EIP-8 forward
 * compatibility). Past `max` it refuses without reading the rest.
 * @throws {RlpError} UNEXPECTED for fewer than `n` elements; TOO_LARGE for more than `max`
 */
export function minFields(
  it: RlpItem | undefined,
  n: number,
  what: string,
  max: number = Number.POSITIVE_INFINITY,
): RlpItem[] {
  const items = listItems(it, what, max);
  if (items.length < n) {
    throw new RlpError(
      'UNEXPECTED',
      `${what}: expected at least ${n} elements, got ${items.length}`,
    );
  }
  return items;
}

/** The bytes of a string item (a view). @throws {RlpError} UNEXPECTED if missing or a list */
export function stringPayload(it: RlpItem | undefined, what: string): Uint8Array {
  if (it === undefined) throw new RlpError('UNEXPECTED', `${what}: missing`);
  if (it.list) throw new RlpError('UNEXPECTED', `${what}: expected a byte string, got a list`);
  return it.payload;
}

/** A copy of a byte string of exactly `n` bytes. @throws {RlpError} UNEXPECTED */
export function readFixed(it: RlpItem | undefined, n: number, what: string): Uint8Array {
  const b = stringPayload(it, what);
  if (b.length !== n) {
    throw new RlpError('UNEXPECTED', `${what}: expected ${n} bytes, got ${b.length}`);
  }
  // A new array filled from the view: one of at most 64 bytes (hashes, keys) lives in the
  // collected heap, where `slice()` would give every copy an ArrayBuffer of its own.
  const out = new Uint8Array(n);
  out.set(b);
  return out;
}

/** A canonical unsigned integer of at most `maxBytes` bytes. @throws {RlpError} */
export function readBigUint(it: RlpItem | undefined, maxBytes: number, what: string): bigint {
  const b = uintBytes(it, maxBytes, what);
  let v = 0n;
  for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}

/** A canonical u64 (request ids, block numbers, sequence numbers). @throws {RlpError} */
export function readU64(it: RlpItem | undefined, what: string): bigint {
  return readBigUint(it, 8, what);
}

/**
 * A canonical unsigned integer of at most `maxBytes` (≤ 6) bytes, as a number.
 * @throws {RlpError}
 */
export function readUint(it: RlpItem | undefined, maxBytes: number, what: string): number {
  if (maxBytes > 6) throw new RangeError(`maxBytes: expected at most 6, got ${maxBytes}`);
  const b = uintBytes(it, maxBytes, what);
  let v = 0;
  for (let i = 0; i < b.length; i++) v = v * 256 + (b[i] as number);
  return v;
}

function uintBytes(it: RlpItem | undefined, maxBytes: number, what: string): Uint8Array {
  const b = stringPayload(it, what);
  if (b.length > maxBytes) {
    throw new RlpError('UNEXPECTED', `${what}: integer longer than ${maxBytes} bytes`);
  }
  if (b[0] === 0) throw new RlpError('NON_CANONICAL', `${what}: integer has leading zeros`);
  return b;
}

/** A boolean as go-ethereum encodes it: 0x80 (false) or 0x01 (true). @throws {RlpError} */
export function readBool(it: RlpItem | undefined, what: string): boolean {
  const b = stringPayload(it, what);
  if (b.length === 0) return false;
  if (b.length === 1 && b[0] === 1) return true;
  throw new RlpError('UNEXPECTED', `${what}: expected a boolean (0 or 1)`);
}

/**
 * Limits on a tree decoded by {@link itemValue} or {@link decodeRlp}: each is checked while
 * walking, and the walk stops with RlpError TOO_LARGE at the first item past it. Unset means no
 * limit (the input's size is then the only bound).
 */
export interface RlpLimits {
  /** Most elements in one list. */
  readonly maxListItems?: number;
  /** Deepest nesting: 1 allows a list of byte strings, 0 only a byte string. */
  readonly maxDepth?: number;
  /** Most items in the whole tree (byte strings and lists, the root excluded). */
  readonly maxTotalItems?: number;
}

/**
 * The value of an item: its bytes (a view), or its elements decoded all the way down. It walks
 * with its own stack, not by recursion, so no nesting depth an attacker can send overflows the
 * call stack; `limits` refuse an oversized tree before it is built.
 * @throws {RlpError} TOO_LARGE past a limit; what {@link readItem} throws
 */
export function itemValue(it: RlpItem, limits: RlpLimits = {}): RlpDecoded {
  const maxList = limits.maxListItems ?? Number.POSITIVE_INFINITY;
  const maxDepth = limits.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxTotal = limits.maxTotalItems ?? Number.POSITIVE_INFINITY;
  if (!it.list) return it.payload;
  if (maxDepth < 1) throw new RlpError('TOO_LARGE', 'rlp: nesting deeper than 0');
  const root: RlpDecoded[] = [];
  const stack: { out: RlpDecoded[]; payload: Uint8Array; pos: number }[] = [
    { out: root, payload: it.payload, pos: 0 },
  ];
  let total = 0;
  for (let top = stack[0]; top !== undefined; top = stack[stack.length - 1]) {
    if (top.pos >= top.payload.length) {
      stack.pop();
      continue;
    }
    if (top.out.length >= maxList) throw tooLarge('rlp: list', maxList);
    if (++total > maxTotal) throw new RlpError('TOO_LARGE', `rlp: more than ${maxTotal} items`);
    const next = readAt(top.payload, top.pos);
    top.pos += next.rawLength;
    if (!next.list) {
      top.out.push(next.payload);
      continue;
    }
    if (stack.length >= maxDepth) {
      throw new RlpError('TOO_LARGE', `rlp: nesting deeper than ${maxDepth}`);
    }
    const child: RlpDecoded[] = [];
    top.out.push(child);
    stack.push({ out: child, payload: next.payload, pos: 0 });
  }
  return root;
}

/** Options of {@link decodeRlp}: the root's, and the limits of the tree. */
export interface DecodeOptions extends RootOptions, RlpLimits {}

/**
 * Decodes `data` into nested byte strings and lists (views of `data`), strictly: one canonical
 * item and, unless `trailing` is set, nothing after it; within the limits set in `options`.
 * @throws {RlpError}
 */
export function decodeRlp(data: Uint8Array, options: DecodeOptions = {}): RlpDecoded {
  return itemValue(readRoot(data, 'rlp', options), options);
}
