/**
 * The shape every eth message codec shares, and the field helpers the codecs are built from:
 * argument checks for encoding (TypeError/RangeError) and strict readers for decoding (the
 * `@ethp2p/base/rlp` reader's `RlpError` or `EthError` MALFORMED, which the codec's `decode` turns
 * into `EthError` MALFORMED). Decoded values never alias the input buffer.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */

import {
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  listItems,
  RlpError,
  type RlpItem,
  readFixed,
  readRoot,
  readU64,
  takeItems,
} from '@ethp2p/base/rlp';
import { decoding, malformed } from '../decoding.ts';
import { EthError } from '../errors.ts';

/**
 * One message of one eth version: its name, its code (relative to the protocol, 0 = Status) and
 * a pure codec for its RLP payload.
 * - `encode` checks its argument and throws `TypeError`/`RangeError` on misuse.
 * - `decode` takes untrusted bytes and throws only `EthError` with code `MALFORMED`; the value it
 *   returns shares no memory with `data`.
 */
export interface MessageCodec<N extends string = string, T = unknown> {
  readonly name: N;
  readonly code: number;
  encode(value: T): Uint8Array;
  decode(data: Uint8Array): T;
}

/** The largest unsigned 64-bit integer. */
export const MAX_U64: bigint = 2n ** 64n - 1n;

/**
 * Builds a codec from an encoder and a reader of the payload's root item. Its decoder turns
 * anything unexpected into `EthError` MALFORMED (an `RlpError` keeps its message and becomes the
 * `cause`).
 */
export function defineCodec<N extends string, T>(
  name: N,
  code: number,
  encode: (value: T) => Uint8Array,
  decode: (root: RlpItem) => T,
): MessageCodec<N, T> {
  return {
    name,
    code,
    encode,
    decode(data: Uint8Array): T {
      if (!(data instanceof Uint8Array)) throw new TypeError(`${name}: expected bytes`);
      try {
        return decoding(() => decode(readRoot(data, name)));
      } catch (err) {
        if (err instanceof EthError) throw err;
        throw new EthError('MALFORMED', `${name}: undecodable payload`, { cause: err });
      }
    },
  };
}

// ---- argument checks for encoding -------------------------------------------------------------

/** Checks that `v` is a Uint8Array of `n` bytes. @throws {TypeError|RangeError} */
export function checkFixed(v: unknown, n: number, field: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${field}: expected Uint8Array`);
  if (v.length !== n) throw new RangeError(`${field}: expected ${n} bytes, got ${v.length}`);
  return v;
}

/** Checks that `v` is a bigint in [0, max]. @throws {TypeError|RangeError} */
export function checkUint(v: unknown, max: bigint, field: string): bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${field}: expected bigint, got ${typeof v}`);
  if (v < 0n || v > max) throw new RangeError(`${field}: expected 0..${max}, got ${v}`);
  return v;
}

/** The RLP of a u64 argument. @throws {TypeError|RangeError} */
export function encodeU64(v: unknown, field: string): Uint8Array {
  return encodeUint(checkUint(v, MAX_U64, field));
}

/** The RLP of a u32 argument given as a number. @throws {TypeError|RangeError} */
export function encodeU32(v: unknown, field: string): Uint8Array {
  if (typeof v !== 'number') throw new TypeError(`${field}: expected number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`${field}: expected an integer 0..2^32-1, got ${String(v)}`);
  return encodeUint(v);
}

/**
 * Checks that `raw` is exactly one complete RLP item that passes `check` (the same check the
 * decoder applies), so what we send is what we would accept. @throws {TypeError|RangeError}
 */
export function checkRawItem(
  raw: unknown,
  field: string,
  check?: (item: RlpItem, what: string) => void,
): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw new TypeError(`${field}: expected Uint8Array`);
  try {
    const it = readRoot(raw, field);
    check?.(it, field);
  } catch (err) {
    if (!(err instanceof RlpError || err instanceof EthError)) throw err;
    throw new RangeError(`${field}: ${err.message}`, { cause: err });
  }
  return raw;
}

/** Checks that `v` is an array. @throws {TypeError} */
export function checkArray<T>(v: unknown, field: string): readonly T[] {
  if (!Array.isArray(v)) throw new TypeError(`${field}: expected an array`);
  return v as readonly T[];
}

/** The RLP list of 32-byte hashes. @throws {TypeError|RangeError} */
export function encodeHashes(hashes: unknown, field: string): Uint8Array {
  const list = checkArray<unknown>(hashes, field);
  return encodeList(list.map((h, i) => encodeBytes(checkFixed(h, 32, `${field}[${i}]`))));
}

/** The RLP list of already-encoded items, each checked by `checkRawItem`. @throws {RangeError} */
export function encodeRawList(
  items: unknown,
  field: string,
  check?: (item: RlpItem, what: string) => void,
): Uint8Array {
  const list = checkArray<unknown>(items, field);
  return encodeList(list.map((r, i) => checkRawItem(r, `${field}[${i}]`, check)));
}

// ---- decoding helpers ---------------------------------------------------------------------------

/**
 * Reads a list of at most `max` 32-byte hashes.
 * @throws {RlpError} TOO_LARGE past `max`; what the reader throws
 */
export function readHashes(it: RlpItem | undefined, what: string, max: number): Uint8Array[] {
  return listItems(it, what, max).map((h) => readFixed(h, 32, `${what} item`));
}

/**
 * Reads a list of at most `max` elements and keeps a copy of each element's full encoding.
 * @throws {RlpError} TOO_LARGE past `max`; what the reader or `check` throws
 */
export function readRawList(
  it: RlpItem | undefined,
  what: string,
  max: number,
  check?: (item: RlpItem, what: string) => void,
): Uint8Array[] {
  return listItems(it, what, max).map((el) => {
    check?.(el, `${what} item`);
    return el.raw.slice();
  });
}

/** A request-id wrapper `[request-id, inner]` read from `root`. @throws {RlpError|EthError} */
export function readRequest(root: RlpItem, what: string): { requestId: bigint; inner: RlpItem } {
  const [id, inner] = fields(root, 2, `${what} [request-id, payload]`);
  return { requestId: readU64(id, `${what} request-id`), inner: inner as RlpItem };
}

/** The RLP `[request-id, inner]`. @throws {TypeError|RangeError} on a bad request id */
export function encodeRequest(requestId: unknown, inner: Uint8Array, what: string): Uint8Array {
  return encodeList([encodeU64(requestId, `${what}.requestId`), inner]);
}

/**
 * Checks a transaction as it travels in a list: a legacy transaction is an RLP list, a typed one
 * (EIP-2718) is a byte string `tx-type ‖ tx-data` whose type byte is below 0x80 and which has
 * data after it. The contents are opaque here. @throws {RlpError|EthError}
 */
export function checkTransaction(it: RlpItem, what: string): void {
  if (it.list) return;
  const p = it.payload;
  if (p.length < 2) throw malformed(`${what}: typed transaction too short`);
  if ((p[0] as number) >= 0x80) throw malformed(`${what}: invalid transaction type`);
}

/** Checks that an item is a list (a header, or a block). @throws {RlpError|EthError} */
export function checkList(it: RlpItem, what: string): void {
  if (!it.list) throw malformed(`${what}: expected a list`);
}

/**
 * A request by hashes: GetBlockBodies, GetPooledTransactions and GetReceipts (to eth/69). A
 * decoded request holds only the hashes that can be served (the first 1024 block hashes, the
 * first 4096 transaction hashes; see `messages/limits.ts`): the rest of the list is never read.
 */
export interface HashesRequest {
  readonly requestId: bigint;
  readonly hashes: readonly Uint8Array[];
}

/**
 * Defines a `[request-id, [hash, ...]]` request codec whose decoder keeps the first `serve`
 * hashes and never reads the others.
 */
export function hashesRequest<N extends string>(
  name: N,
  code: number,
  serve: number,
): MessageCodec<N, HashesRequest> {
  return defineCodec(
    name,
    code,
    (r: HashesRequest) =>
      encodeRequest(r.requestId, encodeHashes(r.hashes, `${name}.hashes`), name),
    (root) => {
      const { requestId, inner } = readRequest(root, name);
      const what = `${name} hashes`;
      const hashes = takeItems(inner, serve, what).map((h) => readFixed(h, 32, `${what} item`));
      return { requestId, hashes };
    },
  );
}

/**
 * Defines a `[request-id, [item, ...]]` response codec whose items stay their exact RLP (a copy):
 * at most `max` of them are read, each checked by `check`; the value is `{ requestId, [field] }`.
 */
export function rawListResponse<N extends string, F extends string>(
  name: N,
  code: number,
  field: F,
  max: number,
  check: (item: RlpItem, what: string) => void,
): MessageCodec<N, { readonly requestId: bigint } & { readonly [K in F]: readonly Uint8Array[] }> {
  type Value = { readonly requestId: bigint } & { readonly [K in F]: readonly Uint8Array[] };
  return defineCodec(
    name,
    code,
    (r: Value) =>
      encodeRequest(r?.requestId, encodeRawList(r[field], `${name}.${field}`, check), name),
    (root) => {
      const { requestId, inner } = readRequest(root, name);
      const items = readRawList(inner, `${name} ${field}`, max, check);
      return { requestId, [field]: items } as Value;
    },
  );
}
