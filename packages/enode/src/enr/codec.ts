/**
 * The ENR wire codec: canonical RLP `[signature, seq, k1, v1, k2, v2, ...]` ↔ a signature, a
 * sequence number and sorted key/value pairs (EIP-778). Values stay as their raw RLP encoding so
 * that any entry, including nested lists such as `eth`, re-encodes byte for byte.
 * Signatures are not checked here; see `v4-scheme.ts`.
 * @see https://eips.ethereum.org/EIPS/eip-778
 * @module
 */

import {
  decodeRlp,
  encodeBytes,
  encodeList,
  encodeUint,
  itemValue,
  listItems,
  type RlpDecoded,
  RlpError,
  type RlpItem,
  readRoot,
  readU64,
  stringPayload,
} from '@ethp2p/base/rlp';
import { EnrError } from '../errors.ts';

/** Maximum size of an encoded record in bytes (EIP-778; geth `enr.SizeLimit`). */
export const ENR_MAX_SIZE_BYTES = 300;

/** Largest sequence number: records carry seq as a 64-bit unsigned integer. */
export const MAX_SEQ: bigint = 2n ** 64n - 1n;

/** One entry: the key as a Latin-1 string (one char per key byte) and the value's raw RLP. */
export type EnrPair = readonly [key: string, rawValue: Uint8Array];

/** The parts of a record as they appear on the wire. */
export interface EnrParts {
  readonly signature: Uint8Array;
  readonly seq: bigint;
  /** Strictly sorted by key bytes. */
  readonly pairs: readonly EnrPair[];
}

/**
 * Decodes and structurally checks record bytes: size, canonical RLP (every value included), no
 * trailing bytes, seq, even k/v count, sorted unique keys. Values are copied out of `bytes`.
 * Never throws anything but {@link EnrError}.
 */
export function decodeEnrParts(bytes: Uint8Array): EnrParts {
  if (bytes.length > ENR_MAX_SIZE_BYTES) {
    throw new EnrError('TOO_LARGE', `record bigger than ${ENR_MAX_SIZE_BYTES} bytes`);
  }
  const parts = malformedOnRlpError(() => readParts(bytes));
  checkKeyOrder(parts.pairs);
  return parts;
}

function readParts(bytes: Uint8Array): EnrParts {
  const root = readRoot(bytes, 'record', { trailing: true });
  itemValue(root); // every nested item must be canonical, before any other check
  if (root.raw.length !== bytes.length) {
    throw new EnrError(
      'TRAILING_BYTES',
      `${bytes.length - root.raw.length} bytes after the record`,
    );
  }
  if (!root.list) throw new EnrError('MALFORMED', 'record is not an RLP list');
  const list = listItems(root, 'record');
  if (list.length < 2) throw new EnrError('MALFORMED', 'record has fewer than 2 elements');
  if (list.length % 2 !== 0) throw new EnrError('MALFORMED', 'odd number of elements in record');
  const signature = stringPayload(list[0], 'record signature').slice();
  const seq = readU64(list[1], 'record seq');
  const pairs: EnrPair[] = [];
  for (let i = 2; i < list.length; i += 2) {
    const key = stringPayload(list[i], 'record key');
    pairs.push([bytesToKey(key), (list[i + 1] as RlpItem).raw.slice()]);
  }
  return { signature, seq, pairs };
}

/** Throws unless the keys are strictly ascending (byte order), naming the first offender. */
export function checkKeyOrder(pairs: readonly EnrPair[]): void {
  for (let i = 1; i < pairs.length; i++) {
    const prev = (pairs[i - 1] as EnrPair)[0];
    const key = (pairs[i] as EnrPair)[0];
    if (key === prev)
      throw new EnrError('DUPLICATE_KEY', `duplicate record key ${JSON.stringify(key)}`);
    if (key < prev)
      throw new EnrError('UNSORTED_KEYS', 'record key/value pairs are not sorted by key');
  }
}

/** Sorts `pairs` in place by key bytes (the record order) and returns it. */
export function sortPairs(pairs: EnrPair[]): EnrPair[] {
  return pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The RLP of `[seq, k1, v1, ...]`: the bytes that the identity scheme signs. */
export function encodeContent(seq: bigint, pairs: readonly EnrPair[]): Uint8Array {
  return encodeList([encodeUint(seq), ...flatPairs(pairs)]);
}

/** The RLP of the full record `[signature, seq, k1, v1, ...]`. */
export function encodeEnrParts(parts: EnrParts): Uint8Array {
  return encodeList([
    encodeBytes(parts.signature),
    encodeUint(parts.seq),
    ...flatPairs(parts.pairs),
  ]);
}

/** Key bytes as a Latin-1 string: byte order and string order agree. */
export function bytesToKey(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** The bytes of a Latin-1 key string. @throws {RangeError} on chars above U+00FF */
export function keyToBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c > 0xff)
      throw new RangeError(`key: expected Latin-1 characters, got ${JSON.stringify(key)}`);
    out[i] = c;
  }
  return out;
}

/**
 * Decodes one raw RLP value (as kept in a record) into bytes or nested lists.
 * @throws {EnrError} MALFORMED if it is not exactly one canonical item
 */
export function decodeRlpValue(raw: Uint8Array): RlpDecoded {
  return malformedOnRlpError(() => decodeRlp(raw));
}

/** Runs `decode`, turning an {@link RlpError} into {@link EnrError} MALFORMED. */
function malformedOnRlpError<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof RlpError) throw new EnrError('MALFORMED', err.message, { cause: err });
    throw err;
  }
}

function flatPairs(pairs: readonly EnrPair[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [key, raw] of pairs) out.push(encodeBytes(keyToBytes(key)), raw);
  return out;
}
