/**
 * Block headers: a strict decoder that keeps the exact RLP and reads the fields the eth protocol
 * needs, and an encoder for headers this package builds itself (the genesis block).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#block-encoding-and-validity
 * @module
 */

import {
  encodeBytes,
  encodeList,
  encodeUint,
  listItems,
  type RlpItem,
  readBigUint,
  readFixed,
  readRoot,
  readU64,
} from '@ethp2p/base/rlp';
import { keccak256 } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';
import { decoding, malformed } from './decoding.ts';

/** The fields every header has, up to and including the nonce (the pre-London header). */
const BASE_FIELDS = 15;

/**
 * The layout of a header's fields: a fixed byte length, an unsigned integer of at most that many
 * bytes (`uint`), or any byte string (`bytes`). Fields 15 and later are optional; a header may
 * stop after any of them.
 */
const LAYOUT: readonly (readonly [name: string, kind: 'fixed' | 'uint' | 'bytes', size: number])[] =
  [
    ['parentHash', 'fixed', 32],
    ['ommersHash', 'fixed', 32],
    ['coinbase', 'fixed', 20],
    ['stateRoot', 'fixed', 32],
    ['transactionsRoot', 'fixed', 32],
    ['receiptsRoot', 'fixed', 32],
    ['logsBloom', 'fixed', 256],
    ['difficulty', 'uint', 32],
    ['number', 'uint', 8],
    ['gasLimit', 'uint', 8],
    ['gasUsed', 'uint', 8],
    ['timestamp', 'uint', 8],
    ['extraData', 'bytes', 0],
    ['mixHash', 'fixed', 32],
    ['nonce', 'fixed', 8],
    ['baseFeePerGas', 'uint', 32],
    ['withdrawalsRoot', 'fixed', 32],
    ['blobGasUsed', 'uint', 8],
    ['excessBlobGas', 'uint', 8],
    ['parentBeaconBlockRoot', 'fixed', 32],
    ['requestsHash', 'fixed', 32],
    ['blockAccessListHash', 'fixed', 32],
    ['slotNumber', 'uint', 8],
  ];

/** The index of each field in a header's RLP list, by name (geth `types.Header` order). */
export const HEADER_FIELD_INDEX: Readonly<Record<keyof HeaderFields, number>> = Object.freeze(
  Object.fromEntries(LAYOUT.map(([name], i) => [name, i])) as Record<keyof HeaderFields, number>,
);

/**
 * Decodes a header's RLP and hashes it. The result keeps a copy of `rlp`, so the caller's buffer
 * may be reused.
 * @throws {ChainError} MALFORMED_BLOCK when `rlp` is not one canonical header list with every field of
 *   the right kind and size (15 to 23 fields, as in geth's `types.Header`)
 */
export function decodeHeader(rlp: Uint8Array): ChainHeader {
  return decoding(() => headerFromItem(readRoot(rlp, 'header')));
}

/**
 * Like {@link decodeHeader}, for a header that is an item of a larger RLP structure.
 * @throws {RlpError|ChainError} when the item is not a header
 */
export function headerFromItem(item: RlpItem): ChainHeader {
  const fields = listItems(item, 'header');
  if (fields.length < BASE_FIELDS || fields.length > LAYOUT.length) {
    throw malformed(
      `header: expected ${BASE_FIELDS} to ${LAYOUT.length} fields, got ${fields.length}`,
    );
  }
  fields.forEach((field, i) => {
    checkField(field, LAYOUT[i] as (typeof LAYOUT)[number]);
  });
  const rlp = item.raw.slice();
  return {
    rlp,
    hash: keccak256(rlp),
    parentHash: readFixed(fields[0], 32, 'header.parentHash'),
    number: readU64(fields[8], 'header.number'),
    time: readU64(fields[11], 'header.timestamp'),
    receiptsRoot: readFixed(fields[5], 32, 'header.receiptsRoot'),
  };
}

/** The state root of a header this package decoded or built (field 3 of its RLP). */
export function stateRootOf(header: ChainHeader): Uint8Array {
  return decoding(() =>
    readFixed(listItems(readRoot(header.rlp, 'header'), 'header')[3], 32, 'header.stateRoot'),
  );
}

function checkField(field: RlpItem, [name, kind, size]: (typeof LAYOUT)[number]): void {
  const what = `header.${name}`;
  if (field.list) throw malformed(`${what}: expected a byte string, got a list`);
  if (kind === 'fixed') readFixed(field, size, what);
  else if (kind === 'uint') readBigUint(field, size, what);
}

/**
 * The fields of a header to encode. Optional fields are given for the forks active at the block;
 * as in geth, a missing optional field before a present one is written as an empty string.
 */
export interface HeaderFields {
  readonly parentHash: Uint8Array;
  readonly ommersHash: Uint8Array;
  readonly coinbase: Uint8Array;
  readonly stateRoot: Uint8Array;
  readonly transactionsRoot: Uint8Array;
  readonly receiptsRoot: Uint8Array;
  readonly logsBloom: Uint8Array;
  readonly difficulty: bigint;
  readonly number: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly timestamp: bigint;
  readonly extraData: Uint8Array;
  readonly mixHash: Uint8Array;
  readonly nonce: Uint8Array;
  readonly baseFeePerGas?: bigint | undefined;
  readonly withdrawalsRoot?: Uint8Array | undefined;
  readonly blobGasUsed?: bigint | undefined;
  readonly excessBlobGas?: bigint | undefined;
  readonly parentBeaconBlockRoot?: Uint8Array | undefined;
  readonly requestsHash?: Uint8Array | undefined;
  readonly blockAccessListHash?: Uint8Array | undefined;
  readonly slotNumber?: bigint | undefined;
}

/**
 * Encodes a header, checking each field's size.
 * @throws {RangeError} when a fixed-size field has the wrong length or an integer is negative or
 *   too large for its field
 */
export function encodeHeader(h: HeaderFields): Uint8Array {
  const values: (Uint8Array | bigint | undefined)[] = LAYOUT.map(
    ([name]) => (h as unknown as Record<string, Uint8Array | bigint | undefined>)[name],
  );
  let last = values.length - 1;
  while (last >= BASE_FIELDS && values[last] === undefined) last--;
  const items: Uint8Array[] = [];
  for (let i = 0; i <= last; i++) {
    const [name, kind, size] = LAYOUT[i] as (typeof LAYOUT)[number];
    items.push(encodeField(`header.${name}`, kind, size, values[i]));
  }
  return encodeList(items);
}

/**
 * The chain header of a header this package builds: {@link encodeHeader} plus its hash.
 * @throws {RangeError} as {@link encodeHeader}
 */
export function headerFromFields(h: HeaderFields): ChainHeader {
  const rlp = encodeHeader(h);
  return {
    rlp,
    hash: keccak256(rlp),
    parentHash: h.parentHash.slice(),
    number: h.number,
    time: h.timestamp,
    receiptsRoot: h.receiptsRoot.slice(),
  };
}

function encodeField(
  what: string,
  kind: 'fixed' | 'uint' | 'bytes',
  size: number,
  value: Uint8Array | bigint | undefined,
): Uint8Array {
  if (value === undefined) return Uint8Array.of(0x80);
  if (kind === 'uint') {
    if (typeof value !== 'bigint' || value < 0n || value >= 1n << BigInt(size * 8)) {
      throw new RangeError(`${what}: expected an unsigned integer of ${size} bytes, got ${value}`);
    }
    return encodeUint(value);
  }
  if (!(value instanceof Uint8Array) || (kind === 'fixed' && value.length !== size)) {
    throw new RangeError(`${what}: expected ${size} bytes`);
  }
  return encodeBytes(value);
}
