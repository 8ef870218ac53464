/**
 * Serving GetBlockAccessLists (eth/71) within geth's limits. Pure: reads the chain, never throws
 * on a request a peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getblockaccesslists-0x12
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */
import type { ChainReader } from '../chain/types.ts';
import { UNAVAILABLE_ACCESS_LIST } from '../messages/access-lists.ts';
import { MAX_ACCESS_LISTS_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from './limits.ts';

/**
 * One entry per requested block, in request order: the access list's RLP, or the empty string
 * `0x80` for a block the chain has none for (EIP-8159). At most {@link MAX_ACCESS_LISTS_SERVE}
 * entries, stopping once the access lists reach {@link SOFT_RESPONSE_LIMIT_BYTES} (geth
 * `serviceGetBlockAccessListsQuery`: unavailable entries do not count).
 */
export function serveAccessLists(chain: ChainReader, hashes: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (const hash of hashes) {
    if (out.length >= MAX_ACCESS_LISTS_SERVE || bytes >= SOFT_RESPONSE_LIMIT_BYTES) break;
    const bal = chain.blockAccessListByHash?.(hash);
    if (bal === undefined || bal.length === 0) {
      out.push(UNAVAILABLE_ACCESS_LIST);
      continue;
    }
    out.push(bal);
    bytes += bal.length;
  }
  return out;
}
