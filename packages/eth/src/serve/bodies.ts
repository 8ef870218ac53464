/**
 * Serving GetBlockBodies within geth's limits. Pure: reads the chain, never throws on a request a
 * peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getblockbodies-0x05
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */
import type { ChainReader } from '../chain/types.ts';
import { MAX_BODIES_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from './limits.ts';

/**
 * The RLP bodies of the requested blocks, in request order: at most {@link MAX_BODIES_SERVE},
 * stopping once the response reaches {@link SOFT_RESPONSE_LIMIT_BYTES}, and stopping at the first
 * block the chain does not have, so the response is always a prefix of the request (geth since
 * May 2026, go-ethereum#34787; earlier versions skipped unknown blocks).
 */
export function serveBodies(chain: ChainReader, hashes: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (const hash of hashes) {
    if (out.length >= MAX_BODIES_SERVE || bytes >= SOFT_RESPONSE_LIMIT_BYTES) break;
    const body = chain.bodyByHash(hash);
    if (body === undefined) break;
    out.push(body);
    bytes += body.length;
  }
  return out;
}
