/**
 * The ENR wire codec: canonical RLP `[signature, seq, k1, v1, k2, v2, ...]` ↔ a signature, a
 * sequence number and sorted key/value pairs (EIP-778). Values stay as their raw RLP encoding so
 * that any entry, including nested lists such as `eth`, re-encodes byte for byte.
 * Signatures are not checked here; see `v4-scheme.ts`.
 * @see https://eips.ethereum.org/EIPS/eip-778
 * @module
 */

import { RLP } from '@ethereumjs/rlp';
import { concatBytes, equalBytes } from '@ethp2p/crypto';
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

/** A decoded RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

/**
 * Decodes and structurally checks record bytes: size, canonical RLP, no trailing bytes, seq,
 * even k/v count, sorted unique keys. Never throws anything but {@link EnrError}.
 */
export function decodeEnrParts(bytes: Uint8Array): EnrParts {
  if (bytes.length > ENR_MAX_SIZE_BYTES) {
    throw new EnrError('TOO_LARGE', `record bigger than ${ENR_MAX_SIZE_BYTES} bytes`);
  }
  const list = decodeList(bytes);
  if (list.length < 2) throw new EnrError('MALFORMED', 'record has fewer than 2 elements');
  if (list.length % 2 !== 0) throw new EnrError('MALFORMED', 'odd number of elements in record');
  const [signature, seqBytes] = list;
  if (!(signature instanceof Uint8Array)) throw new EnrError('MALFORMED', 'signature is a list');
  const seq = decodeSeq(seqBytes);
  const pairs: EnrPair[] = [];
  for (let i = 2; i < list.length; i += 2) {
    const key = list[i];
    if (!(key instanceof Uint8Array)) throw new EnrError('MALFORMED', 'record key is a list');
    pairs.push([bytesToKey(key), RLP.encode(list[i + 1] as RlpItem)]);
  }
  checkKeyOrder(pairs);
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
  return encodeList([RLP.encode(seq), ...flatPairs(pairs)]);
}

/** The RLP of the full record `[signature, seq, k1, v1, ...]`. */
export function encodeEnrParts(parts: EnrParts): Uint8Array {
  return encodeList([
    RLP.encode(parts.signature),
    RLP.encode(parts.seq),
    ...flatPairs(parts.pairs),
  ]);
}

/** An RLP list from already-encoded items. */
export function encodeList(items: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...items);
  return concatBytes(listHeader(body.length), body);
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
export function decodeRlpValue(raw: Uint8Array): RlpItem {
  const { data, remainder } = strictDecode(raw);
  if (remainder.length !== 0) throw new EnrError('MALFORMED', 'value has trailing bytes');
  return data;
}

function decodeList(bytes: Uint8Array): RlpItem[] {
  if (bytes.length === 0) throw new EnrError('MALFORMED', 'empty record');
  const { data, remainder } = strictDecode(bytes);
  if (remainder.length !== 0) {
    throw new EnrError('TRAILING_BYTES', `${remainder.length} bytes after the record`);
  }
  if (!Array.isArray(data)) throw new EnrError('MALFORMED', 'record is not an RLP list');
  return data;
}

/** RLP.decode in stream mode, canonical only, with its plain Errors turned into EnrError. */
function strictDecode(bytes: Uint8Array): { data: RlpItem; remainder: Uint8Array } {
  let data: RlpItem;
  let remainder: Uint8Array;
  try {
    if (bytes.length === 0) throw new Error('empty input');
    ({ data, remainder } = RLP.decode(bytes, true) as { data: RlpItem; remainder: Uint8Array });
  } catch (err) {
    throw new EnrError('MALFORMED', 'invalid RLP', { cause: err });
  }
  // The decoder tolerates some non-canonical forms; re-encoding catches them all.
  const consumed = bytes.subarray(0, bytes.length - remainder.length);
  if (!equalBytes(RLP.encode(data), consumed)) {
    throw new EnrError('MALFORMED', 'non-canonical RLP');
  }
  return { data, remainder };
}

function decodeSeq(item: RlpItem | undefined): bigint {
  if (!(item instanceof Uint8Array)) throw new EnrError('MALFORMED', 'seq is not a byte string');
  if (item.length > 8) throw new EnrError('MALFORMED', 'seq larger than 64 bits');
  if (item.length > 0 && item[0] === 0) throw new EnrError('MALFORMED', 'seq has leading zeros');
  let seq = 0n;
  for (const b of item) seq = (seq << 8n) | BigInt(b);
  return seq;
}

function flatPairs(pairs: readonly EnrPair[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [key, raw] of pairs) out.push(RLP.encode(keyToBytes(key)), raw);
  return out;
}

function listHeader(length: number): Uint8Array {
  if (length < 56) return Uint8Array.of(0xc0 + length);
  const len: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) len.unshift(n % 256);
  return Uint8Array.of(0xf7 + len.length, ...len);
}
