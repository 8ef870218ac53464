/**
 * The RLP form of a fork ID, `[hash: B_4, next: u64]`, and of the ENR `eth` entry that carries
 * it, `[[hash, next], ...]` (geth `eth/protocols/eth/discovery.go` `enrEntry`: elements after
 * the fork ID are ignored for forward compatibility).
 * @see https://eips.ethereum.org/EIPS/eip-2124
 * @see https://github.com/ethereum/devp2p/blob/master/enr-entries/eth.md
 * @module
 */

import type { NestedUint8Array } from '@ethereumjs/rlp';
import { RLP } from '@ethereumjs/rlp';
import { assertBytes } from '@ethp2p/crypto';
import { EthError } from '../errors.ts';
import type { ForkId } from './fork-id.ts';
import { MAX_FORK_VALUE } from './fork-id.ts';

/** The ENR key under which a node advertises the eth protocol and its fork ID. */
export const ETH_ENR_KEY = 'eth';

type Item = Uint8Array | NestedUint8Array;

/**
 * The RLP encoding of `id`: `[hash, next]`.
 * @throws {TypeError|RangeError} unless the hash is 4 bytes and `next` a u64
 * @example `encodeForkId({ hash: hexToBytes('deadbeef'), next: 0xbaddcafen }) // ca84deadbeef84baddcafe`
 */
export function encodeForkId(id: ForkId): Uint8Array {
  return RLP.encode(forkIdFields(id));
}

/**
 * Decodes the RLP of a fork ID. Exactly two elements, a 4-byte hash and a canonical u64.
 * @throws {EthError} MALFORMED for anything else
 */
export function decodeForkId(bytes: Uint8Array): ForkId {
  assertBytes('bytes', bytes);
  return forkIdFromItem(decodeRlp(bytes, 'fork ID'), 'fork ID');
}

/**
 * The value of the ENR `eth` entry for `id`: the RLP of `[[hash, next]]`. Give it to
 * `LocalNode.set(ETH_ENR_KEY, { rlp })` or `Enr.sign` as `{ eth: { rlp } }`.
 * @throws {TypeError|RangeError} unless the hash is 4 bytes and `next` a u64
 */
export function ethEnrEntry(id: ForkId): Uint8Array {
  return RLP.encode([forkIdFields(id)]);
}

/**
 * The fork ID in the raw value of an ENR `eth` entry (as `Enr.get('eth')` returns it): a list
 * whose first element is the fork ID; further elements are ignored.
 * @throws {EthError} MALFORMED if the value is not such a list
 */
export function decodeEthEnrEntry(raw: Uint8Array): ForkId {
  assertBytes('raw', raw);
  const entry = decodeRlp(raw, 'eth ENR entry');
  if (!Array.isArray(entry) || entry.length === 0) {
    throw new EthError('MALFORMED', 'eth ENR entry: expected a list holding a fork ID');
  }
  return forkIdFromItem(entry[0] as Item, 'eth ENR entry fork ID');
}

function forkIdFields(id: ForkId): [Uint8Array, bigint] {
  assertBytes('id.hash', id?.hash, 4);
  const next = id.next;
  if (typeof next !== 'bigint') throw new TypeError(`id.next: expected bigint, got ${typeof next}`);
  if (next < 0n || next > MAX_FORK_VALUE) {
    throw new RangeError(`id.next: expected 0 to 2^64-1, got ${next}`);
  }
  return [id.hash, next];
}

function decodeRlp(bytes: Uint8Array, what: string): Item {
  try {
    return RLP.decode(bytes);
  } catch (err) {
    throw new EthError('MALFORMED', `${what}: invalid RLP`, { cause: err });
  }
}

function forkIdFromItem(item: Item, what: string): ForkId {
  if (!Array.isArray(item) || item.length !== 2) {
    throw new EthError('MALFORMED', `${what}: expected a list of 2 elements`);
  }
  const [hash, next] = item;
  if (!(hash instanceof Uint8Array) || hash.length !== 4) {
    throw new EthError('MALFORMED', `${what}: hash is not 4 bytes`);
  }
  if (!(next instanceof Uint8Array) || next.length > 8 || next[0] === 0) {
    throw new EthError('MALFORMED', `${what}: next is not a canonical u64`);
  }
  let value = 0n;
  for (const byte of next) value = (value << 8n) | BigInt(byte);
  return { hash: Uint8Array.from(hash), next: value };
}
