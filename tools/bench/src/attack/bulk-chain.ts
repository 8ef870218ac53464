/**
 * A chain for attack runs that has whatever is asked of it: 4096 synthetic headers of about
 * 540 bytes on top of a real genesis, and a 2 KiB body for any hash, so every GetBlockHeaders and
 * GetBlockBodies is served to geth's limits (1024 items, 2 MiB) at the cost of real serving.
 * @module
 */
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { keccak256 } from '@ethp2p/crypto';
import type { ChainHeader, ChainReader } from '@ethp2p/eth';

/** Synthetic headers above genesis. */
export const BULK_HEADERS = 4096;

/** A body of about 2 KiB: one opaque 2 KiB transaction and no ommers. */
const BODY = encodeList([
  encodeList([encodeBytes(new Uint8Array(2040).fill(0x42))]),
  encodeList([]),
]);

/** `base` (a genesis-only chain) with {@link BULK_HEADERS} headers and a body for any hash. */
export function bulkChain(base: ChainReader): ChainReader {
  const byNumber: ChainHeader[] = [base.genesis()];
  const byHash = new Map<string, ChainHeader>();
  for (let n = 1; n <= BULK_HEADERS; n++) {
    const parentHash = (byNumber[n - 1] as ChainHeader).hash;
    const rlp = encodeList([
      encodeBytes(parentHash),
      encodeUint(n),
      encodeBytes(new Uint8Array(500)),
    ]);
    const header: ChainHeader = {
      rlp,
      hash: keccak256(rlp),
      parentHash,
      number: BigInt(n),
      time: 0n,
      receiptsRoot: new Uint8Array(32),
    };
    byNumber.push(header);
    byHash.set(Buffer.from(header.hash).toString('hex'), header);
  }
  return {
    config: base.config,
    genesis: () => base.genesis(),
    head: () => base.head(),
    headerByHash: (hash) =>
      byHash.get(Buffer.from(hash).toString('hex')) ?? base.headerByHash(hash),
    headerByNumber: (n) => (n >= 0n && n <= BigInt(BULK_HEADERS) ? byNumber[Number(n)] : undefined),
    bodyByHash: () => BODY,
    receiptsByHash: (hash) => base.receiptsByHash(hash),
  };
}
