/**
 * The RLP form of a fork ID, `[hash: B_4, next: u64]`, and of the ENR `eth` entry that carries
 * it, `[[hash, next], ...]` (geth `eth/protocols/eth/discovery.go` `enrEntry`: elements after
 * the fork ID are ignored for forward compatibility).
 * @see https://eips.ethereum.org/EIPS/eip-2124
 * @see https://github.com/ethereum/devp2p/blob/master/enr-entries/eth.md
 * @module
 */

import {
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  minFields,
  type RlpItem,
  readFixed,
  readRoot,
  readU64,
} from '@ethp2p/base/rlp';
import { assertBytes } from '@ethp2p/crypto';
import { decoding } from '../decoding.ts';
import type { ForkId } from './fork-id.ts';
import { MAX_FORK_VALUE } from './fork-id.ts';

/** The ENR key under which a node advertises the eth protocol and its fork ID. */
export const ETH_ENR_KEY = 'eth';

/**
 * The RLP encoding of `id`: `[hash, next]`.
 * @throws {TypeError|RangeError} unless the hash is 4 bytes and `next` a u64
 * @example `encodeForkId({ hash: hexToBytes('deadbeef'), next: 0xbaddcafen }) // ca84deadbeef84baddcafe`
 */
export function encodeForkId(id: ForkId): Uint8Array {
  checkForkId(id);
  return encodeList([encodeBytes(id.hash), encodeUint(id.next)]);
}

/**
 * Decodes the RLP of a fork ID. Exactly two elements, a 4-byte hash and a canonical u64.
 * @throws {EthError} MALFORMED for anything else
 */
export function decodeForkId(bytes: Uint8Array): ForkId {
  assertBytes('bytes', bytes);
  return decoding(() => forkIdFromItem(readRoot(bytes, 'fork ID'), 'fork ID'));
}

/**
 * The value of the ENR `eth` entry for `id`: the RLP of `[[hash, next]]`. Give it to
 * `LocalNode.set(ETH_ENR_KEY, { rlp })` or `Enr.sign` as `{ eth: { rlp } }`.
 * @throws {TypeError|RangeError} unless the hash is 4 bytes and `next` a u64
 */
export function ethEnrEntry(id: ForkId): Uint8Array {
  return encodeList([encodeForkId(id)]);
}

/**
 * The fork ID in the raw value of an ENR `eth` entry (as `Enr.get('eth')` returns it): a list
 * whose first element is the fork ID; further elements are ignored.
 * @throws {EthError} MALFORMED if the value is not such a list
 */
export function decodeEthEnrEntry(raw: Uint8Array): ForkId {
  assertBytes('raw', raw);
  return decoding(() => {
    const [first] = minFields(readRoot(raw, 'eth ENR entry'), 1, 'eth ENR entry');
    return forkIdFromItem(first, 'eth ENR entry fork ID');
  });
}

/**
 * The fork ID `[hash: B_4, next: u64]` in an item of a larger RLP structure (a copy).
 * @throws {RlpError} UNEXPECTED or NON_CANONICAL unless it is exactly that
 */
export function forkIdFromItem(item: RlpItem | undefined, what: string): ForkId {
  const [hash, next] = fields(item, 2, what);
  return { hash: readFixed(hash, 4, `${what} hash`), next: readU64(next, `${what} next`) };
}

function checkForkId(id: ForkId): void {
  assertBytes('id.hash', id?.hash, 4);
  const next = id.next;
  if (typeof next !== 'bigint') throw new TypeError(`id.next: expected bigint, got ${typeof next}`);
  if (next < 0n || next > MAX_FORK_VALUE) {
    throw new RangeError(`id.next: expected 0 to 2^64-1, got ${next}`);
  }
}
