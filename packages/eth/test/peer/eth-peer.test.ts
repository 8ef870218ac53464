import { waitFor } from '@ethp2p/base/testing';
import { MemoryTxPool } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_KNOWN_BLOCKS,
  MAX_KNOWN_TXS,
  MAX_QUEUED_TX_ANNS,
  MAX_TX_PACKET_SIZE_BYTES,
} from '../../src/peer/constants.ts';
import { txFromWire } from '../../src/peer/tx-wire.ts';
import { type Harness, startPeer } from '../protocol/harness.ts';
import { expectEth, hashOf, legacyTx, memoryChain, send } from './fixtures.ts';

let h: Harness | undefined;

afterEach(() => {
  h?.remote.close();
  h = undefined;
});

async function withPool(txs: Uint8Array[], version: 68 | 69 = 69): Promise<Harness> {
  const txPool = new MemoryTxPool({ maxTxs: txs.length + 1 });
  txPool.add(txs);
  const { chain } = await memoryChain();
  return startPeer({ version, backend: { chain, txPool } });
}

describe('known sets', () => {
  it(`remembers at most ${MAX_KNOWN_TXS} transactions, the oldest forgotten first`, async () => {
    h = await startPeer();
    const hashes = Array.from({ length: MAX_KNOWN_TXS + 1 }, (_, i) => hashOf(i));
    h.peer.markTransactions(...hashes);
    expect(h.peer.knowsTransaction(hashOf(0))).toBe(false);
    expect(h.peer.knowsTransaction(hashOf(1))).toBe(true);
    expect(h.peer.knowsTransaction(hashOf(MAX_KNOWN_TXS))).toBe(true);
  });

  it(`remembers at most ${MAX_KNOWN_BLOCKS} blocks`, async () => {
    h = await startPeer();
    const head = h.remoteStatus.version === 69 ? h.peer.blockRange?.latestHash : undefined;
    expect(head !== undefined && h.peer.knowsBlock(head)).toBe(true);
    h.peer.markBlocks(...Array.from({ length: MAX_KNOWN_BLOCKS }, (_, i) => hashOf(i)));
    expect(h.peer.knowsBlock(head as Uint8Array)).toBe(false);
    expect(h.peer.knowsBlock(hashOf(0))).toBe(true);
  });
});

describe('transaction broadcast and announcement', () => {
  it('announces queued pool transactions with their types and sizes', async () => {
    const txs = [legacyTx(1), legacyTx(2)];
    h = await withPool(txs);
    h.peer.asyncAnnounceTransactions(txs.map((tx) => keccak256(tx)));
    expect(await expectEth(h.remote, 69, 'NewPooledTransactionHashes')).toEqual({
      types: Uint8Array.of(0, 0),
      sizes: txs.map((tx) => tx.length),
      hashes: txs.map((tx) => keccak256(tx)),
    });
    expect(h.peer.knowsTransaction(keccak256(txs[0] as Uint8Array))).toBe(true);
  });

  it('drops the oldest queued announcements when the queue is full', async () => {
    const txs = Array.from({ length: MAX_QUEUED_TX_ANNS + 11 }, (_, i) => legacyTx(i));
    const hashes = txs.map((tx) => keccak256(tx));
    h = await withPool(txs);
    h.peer.asyncAnnounceTransactions(hashes.slice(0, 1)); // in flight: nobody reads yet
    h.peer.asyncAnnounceTransactions(hashes.slice(1)); // 10 more than the queue holds
    const got: Uint8Array[] = [];
    while (got.length < MAX_QUEUED_TX_ANNS + 1) {
      got.push(...(await expectEth(h.remote, 69, 'NewPooledTransactionHashes')).hashes);
    }
    expect(got).toEqual([hashes[0], ...hashes.slice(11)]);
  });

  it('broadcasts full transactions in packs of about 100 KiB, skipping unpooled ones', async () => {
    const txs = Array.from({ length: 120 }, (_, i) => legacyTx(i, 2_000));
    h = await withPool(txs);
    h.peer.asyncSendTransactions([hashOf(1), ...txs.map((tx) => keccak256(tx))]);
    const got: Uint8Array[] = [];
    let packs = 0;
    while (got.length < txs.length) {
      const pack = (await expectEth(h.remote, 69, 'Transactions')).map(txFromWire);
      const bytes = pack.reduce((n, tx) => n + tx.length, 0);
      expect(bytes - (pack.at(-1)?.length ?? 0)).toBeLessThan(MAX_TX_PACKET_SIZE_BYTES);
      got.push(...pack);
      packs++;
    }
    expect(got).toEqual(txs);
    expect(packs).toBeGreaterThan(1);
  });
});

describe('block announcements', () => {
  it('eth/69: keeps only the newest unsent BlockRangeUpdate', async () => {
    h = await startPeer({ version: 69 });
    const range = (n: number) => ({ earliest: 0n, latest: BigInt(n), latestHash: hashOf(n) });
    h.peer.asyncSendBlockRange(range(1)); // in flight
    h.peer.asyncSendBlockRange(range(2));
    h.peer.asyncSendBlockRange(range(3));
    expect(await expectEth(h.remote, 69, 'BlockRangeUpdate')).toEqual(range(1));
    expect(await expectEth(h.remote, 69, 'BlockRangeUpdate')).toEqual(range(3));
  });

  it('eth/69 has no block announcements, eth/68 no block range', async () => {
    h = await startPeer({ version: 69 });
    expect(() => h?.peer.asyncAnnounceBlock(hashOf(1), 1n)).toThrow(RangeError);
    h.remote.close();
    h = await startPeer({ version: 68 });
    expect(() =>
      h?.peer.asyncSendBlockRange({ earliest: 0n, latest: 1n, latestHash: hashOf(1) }),
    ).toThrow(RangeError);
  });

  it('eth/68: announces blocks and sends NewBlock, marking them known', async () => {
    h = await startPeer({ version: 68 });
    h.peer.asyncAnnounceBlock(hashOf(5), 5n);
    expect(await expectEth(h.remote, 68, 'NewBlockHashes')).toEqual([
      { hash: hashOf(5), number: 5n },
    ]);
    const block = h.gen.blocks[0] as Uint8Array;
    h.peer.asyncSendNewBlock(block, h.gen.hashes[1] as Uint8Array, 7n);
    expect(await expectEth(h.remote, 68, 'NewBlock')).toEqual({ block, td: 7n });
    expect(h.peer.knowsBlock(hashOf(5))).toBe(true);
    expect(h.peer.knowsBlock(h.gen.hashes[1] as Uint8Array)).toBe(true);
  });

  it('eth/68: takes NewBlock as the new head', async () => {
    h = await startPeer({ version: 68 });
    const seen: bigint[] = [];
    h.peer.events.on('block:received', ({ td }) => seen.push(td));
    await send(h.remote, 68, 'NewBlock', { block: h.gen.blocks[0] as Uint8Array, td: 5n });
    await waitFor(() => seen.length > 0, {
      what: 'the block arrives',
      on: { emitters: [h.peer.events], events: ['block:received'] },
    });
    expect(h.peer.head).toEqual({ hash: h.gen.hashes[1], td: 5n, number: 1n });
    expect(seen).toEqual([5n]);
  });
});
