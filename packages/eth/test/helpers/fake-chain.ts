/**
 * A ChainReader whose bodies and receipts come from functions, for serving tests that need
 * shapes a generated chain does not have (huge bodies, thousands of blocks, chosen receipts).
 * Only the body, receipt and access list lookups are meaningful.
 * @module
 */

import type { ChainHeader, ChainReader } from '../../src/chain/types.ts';
import { MAINNET } from '../../src/chain-config/networks.ts';

/** What the fake chain answers for a block hash. */
export interface FakeChainData {
  readonly body?: (hash: Uint8Array) => Uint8Array | undefined;
  readonly receipts?: (hash: Uint8Array) => Uint8Array | undefined;
  readonly accessList?: (hash: Uint8Array) => Uint8Array | undefined;
}

/** A fake chain: no headers, bodies and receipts from `data`. */
export function fakeChain(data: FakeChainData): ChainReader {
  const none = (): ChainHeader => {
    throw new Error('fake chain: no headers');
  };
  return {
    config: MAINNET,
    genesis: none,
    head: none,
    headerByHash: () => undefined,
    headerByNumber: () => undefined,
    bodyByHash: (hash) => data.body?.(hash),
    receiptsByHash: (hash) => data.receipts?.(hash),
    ...(data.accessList === undefined
      ? {}
      : { blockAccessListByHash: (hash: Uint8Array) => data.accessList?.(hash) }),
  };
}

/** A 32-byte hash whose first four bytes are `n` (big-endian). */
export function fakeHash(n: number): Uint8Array {
  const hash = new Uint8Array(32);
  new DataView(hash.buffer).setUint32(0, n);
  return hash;
}

/** The number {@link fakeHash} put into `hash`. */
export function fakeHashNumber(hash: Uint8Array): number {
  return new DataView(hash.buffer, hash.byteOffset).getUint32(0);
}
