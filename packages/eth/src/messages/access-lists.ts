/**
 * eth/71 (EIP-8159): GetBlockAccessLists (0x12) and BlockAccessLists (0x13). A block access list
 * (EIP-7928) stays opaque: a decoded entry keeps its exact RLP (a copy), so the caller can compare
 * `keccak256(entry)` with the header's `block-access-list-hash`. An entry is either a list (the
 * access list; the empty list is a valid one) or the empty string `0x80`, which says the peer
 * does not have that block's access list.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#blockaccesslists-0x13
 * @see https://eips.ethereum.org/EIPS/eip-8159
 * @module
 */

import type { RlpItem } from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import { type HashesRequest, hashesRequest, type MessageCodec, rawListResponse } from './codec.ts';
import { MAX_ACCESS_LISTS_PER_MESSAGE } from './limits.ts';

/** The entry of a block whose access list the peer does not have: the RLP empty string. */
export const UNAVAILABLE_ACCESS_LIST: Uint8Array = Uint8Array.of(0x80);

/** GetBlockAccessLists (0x12): `[request-id, [blockhash, ...]]`. */
export type GetBlockAccessLists = HashesRequest;

/**
 * BlockAccessLists (0x13): `[request-id, [block-access-list, ...]]`, one entry per requested
 * block in request order; {@link UNAVAILABLE_ACCESS_LIST} for a block the peer has none for.
 */
export interface BlockAccessLists {
  readonly requestId: bigint;
  readonly accessLists: readonly Uint8Array[];
}

/** Checks an entry: an access list (an RLP list) or the empty string. @throws {EthError} */
export function checkAccessListEntry(it: RlpItem, what: string): void {
  if (it.list || it.payload.length === 0) return;
  throw malformed(`${what}: expected an access list or the empty string`);
}

/** GetBlockAccessLists of eth/71 and later: the first 1024 hashes are read. */
export const getBlockAccessLists: MessageCodec<'GetBlockAccessLists', GetBlockAccessLists> =
  hashesRequest('GetBlockAccessLists', 0x12, MAX_ACCESS_LISTS_PER_MESSAGE);

/** BlockAccessLists of eth/71 and later. */
export const blockAccessLists: MessageCodec<'BlockAccessLists', BlockAccessLists> = rawListResponse(
  'BlockAccessLists',
  0x13,
  'accessLists',
  MAX_ACCESS_LISTS_PER_MESSAGE,
  checkAccessListEntry,
);
