/**
 * Status (0x00), the first message each side sends: eth/68 carries the total difficulty and head
 * hash, eth/69 replaces them with the served block range. The fork ID `[hash: B_4, next: u64]`
 * is read with the fork ID codec; whether it is acceptable is the fork ID filter's question.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#status-0x00
 * @see https://eips.ethereum.org/EIPS/eip-2124
 * @see https://eips.ethereum.org/EIPS/eip-7642
 * @module
 */

import {
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  readBigUint,
  readFixed,
  readU64,
  readUint,
} from '@ethp2p/base/rlp';
import { encodeForkId, forkIdFromItem } from '../forkid/codec.ts';
import type { ForkId } from '../forkid/fork-id.ts';
import {
  checkFixed,
  checkUint,
  defineCodec,
  encodeU32,
  encodeU64,
  type MessageCodec,
} from './codec.ts';

/** Status in eth/68: `[version, networkid, td, blockhash, genesis, forkid]`. */
export interface Status68 {
  readonly version: number;
  readonly networkId: bigint;
  /** Total difficulty of the head block (at most 256 bits on the wire). */
  readonly td: bigint;
  /** Hash of the head block (`blockhash` in the spec). */
  readonly head: Uint8Array;
  readonly genesis: Uint8Array;
  readonly forkId: ForkId;
}

/** Status in eth/69: `[version, networkid, genesis, forkid, earliest, latest, latestHash]`. */
export interface Status69 {
  readonly version: number;
  readonly networkId: bigint;
  readonly genesis: Uint8Array;
  readonly forkId: ForkId;
  /** The earliest block whose body and receipts the sender serves. */
  readonly earliest: bigint;
  /** The latest block the sender serves. */
  readonly latest: bigint;
  readonly latestHash: Uint8Array;
}

/** The largest total difficulty the codec carries (256 bits). geth rejects more than 100. */
export const MAX_TD: bigint = 2n ** 256n - 1n;

/** Status of eth/68. */
export const status68: MessageCodec<'Status', Status68> = defineCodec(
  'Status',
  0x00,
  (s: Status68) =>
    encodeList([
      encodeU32(s.version, 'Status.version'),
      encodeU64(s.networkId, 'Status.networkId'),
      encodeUint(checkUint(s.td, MAX_TD, 'Status.td')),
      encodeBytes(checkFixed(s.head, 32, 'Status.head')),
      encodeBytes(checkFixed(s.genesis, 32, 'Status.genesis')),
      encodeForkId(checkForkId(s.forkId)),
    ]),
  (root) => {
    const f = fields(root, 6, 'Status');
    return {
      version: readUint(f[0], 4, 'Status version'),
      networkId: readU64(f[1], 'Status networkid'),
      td: readBigUint(f[2], 32, 'Status td'),
      head: readFixed(f[3], 32, 'Status blockhash'),
      genesis: readFixed(f[4], 32, 'Status genesis'),
      forkId: forkIdFromItem(f[5], 'Status forkid'),
    };
  },
);

/** Status of eth/69 (and later versions until one changes it). */
export const status69: MessageCodec<'Status', Status69> = defineCodec(
  'Status',
  0x00,
  (s: Status69) =>
    encodeList([
      encodeU32(s.version, 'Status.version'),
      encodeU64(s.networkId, 'Status.networkId'),
      encodeBytes(checkFixed(s.genesis, 32, 'Status.genesis')),
      encodeForkId(checkForkId(s.forkId)),
      encodeU64(s.earliest, 'Status.earliest'),
      encodeU64(s.latest, 'Status.latest'),
      encodeBytes(checkFixed(s.latestHash, 32, 'Status.latestHash')),
    ]),
  (root) => {
    const f = fields(root, 7, 'Status');
    return {
      version: readUint(f[0], 4, 'Status version'),
      networkId: readU64(f[1], 'Status networkid'),
      genesis: readFixed(f[2], 32, 'Status genesis'),
      forkId: forkIdFromItem(f[3], 'Status forkid'),
      earliest: readU64(f[4], 'Status earliest'),
      latest: readU64(f[5], 'Status latest'),
      latestHash: readFixed(f[6], 32, 'Status latestHash'),
    };
  },
);

function checkForkId(id: ForkId): ForkId {
  if (id === null || typeof id !== 'object') throw new TypeError('Status.forkId: expected object');
  return id;
}
