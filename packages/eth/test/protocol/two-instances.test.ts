import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { MemoryTxPool } from '@ethp2p/chain';
import { DiscReason, msgPipe } from '@ethp2p/server';
import { capsOf, matchProtocols } from '@ethp2p/server/wire';
import { describe, expect, it } from 'vitest';
import type { EthPeer } from '../../src/peer/eth-peer.ts';
import type { BlockRange } from '../../src/peer/types.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import { fakePeer, hashOf, memoryChain, testChain } from '../peer/fixtures.ts';

interface Side {
  readonly peerSet: PeerSet;
  readonly protocols: ReturnType<typeof createEthProtocols>;
}

async function side(seed: number, versions: number[]): Promise<Side> {
  const { chain } = await memoryChain();
  const peerSet = new PeerSet();
  const protocols = createEthProtocols({
    backend: { chain, txPool: new MemoryTxPool() },
    peerSet,
    versions,
    clock: new SimulatedClock(),
    random: seededRandom(seed),
  });
  return { peerSet, protocols };
}

function registered(set: PeerSet): Promise<EthPeer> {
  return new Promise((resolve) => set.events.once('peer:registered', ({ peer }) => resolve(peer)));
}

/** Connects two sides as the server would: highest shared version, one msgPipe. */
async function connect(a: Side, b: Side) {
  const [ma] = matchProtocols(a.protocols, capsOf(b.protocols));
  const [mb] = matchProtocols(b.protocols, capsOf(a.protocols));
  if (ma === undefined || mb === undefined) throw new Error('no shared eth version');
  const [pa, pb] = msgPipe();
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort(new Error('stopped'));
    pa.close();
  };
  const peerA = registered(a.peerSet);
  const peerB = registered(b.peerSet);
  // The p2p peers: `fakeB` is B as A sees it.
  const fakeB = fakePeer(2, stop);
  const fakeA = fakePeer(1, stop);
  const runs = Promise.allSettled([
    ma.protocol.run(fakeB, pa, { signal: controller.signal }),
    mb.protocol.run(fakeA, pb, { signal: controller.signal }),
  ]);
  return {
    fakeA,
    fakeB,
    versions: [ma.protocol.version, mb.protocol.version],
    // Each side's view of the other.
    bOnA: await peerA,
    aOnB: await peerB,
    stop,
    runs,
  };
}

describe('two eth instances over a msgPipe', () => {
  it('negotiate eth/69 and exchange BlockRangeUpdate', async () => {
    const a = await side(1, [69, 68]);
    const b = await side(2, [68, 69]);
    const link = await connect(a, b);
    expect(link.versions).toEqual([69, 69]);
    expect(link.bOnA.version).toBe(69);
    expect(link.aOnB.blockRange?.latest).toBe(16n);

    const onB = new Promise<BlockRange>((resolve) =>
      link.aOnB.events.once('block-range:updated', ({ range }) => resolve(range)),
    );
    const onA = new Promise<BlockRange>((resolve) =>
      link.bOnA.events.once('block-range:updated', ({ range }) => resolve(range)),
    );
    const fromA = { earliest: 0n, latest: 17n, latestHash: hashOf(17) };
    const fromB = { earliest: 4n, latest: 18n, latestHash: hashOf(18) };
    link.bOnA.asyncSendBlockRange(fromA);
    link.aOnB.asyncSendBlockRange(fromB);
    expect(await onB).toEqual(fromA);
    expect(await onA).toEqual(fromB);
    expect(link.aOnB.blockRange).toEqual(fromA);
    expect(link.bOnA.blockRange).toEqual(fromB);
    expect(a.protocols[0]?.peerInfo?.(link.bOnA.id)).toMatchObject({
      version: 69,
      earliestBlock: 4,
      latestBlock: 18,
    });

    link.stop();
    await link.runs;
    expect(a.peerSet.len + b.peerSet.len).toBe(0);
  });

  it.each([
    [[72, 71, 70, 69, 68], [69, 70, 71, 72], 72],
    [[72, 71, 70, 69, 68], [71, 70, 69], 71],
    [[72, 71, 70, 69, 68], [70, 69], 70],
    [[72, 71, 70, 69, 68], [69], 69],
  ])('offering %j to a peer offering %j negotiates eth/%i', async (ours, theirs, want) => {
    const a = await side(1, ours);
    const b = await side(2, theirs);
    const link = await connect(a, b);
    expect(link.versions).toEqual([want, want]);
    expect(link.bOnA.version).toBe(want);
    expect(link.aOnB.version).toBe(want);
    link.stop();
    await link.runs;
  });

  it('at eth/72: receipts, access lists and cells over the link', async () => {
    const a = await side(1, [72, 71, 70, 69, 68]);
    const b = await side(2, [69, 70, 71, 72]);
    const link = await connect(a, b);
    const { hashes } = await testChain();
    const hashAt = (n: number): Uint8Array => hashes[n] as Uint8Array;
    // Blocks 2 and 3 carry no transactions: their receipt lists are empty.
    const receipts = await link.bOnA.requestReceipts([hashAt(2), hashAt(3)]);
    expect(receipts).toEqual([[], []]);
    // The memory chain has no access lists: every entry is the empty string.
    const bals = await link.bOnA.requestBlockAccessLists([hashAt(1), hashAt(2)]);
    expect(bals).toEqual([Uint8Array.of(0x80), Uint8Array.of(0x80)]);
    // The memory pool has no cells: an empty answer.
    const cells = await link.bOnA.requestCells([hashOf(1)], new Uint8Array(16).fill(1));
    expect(cells.hashes).toEqual([]);
    link.stop();
    await link.runs;
  });

  it('fall back to eth/68 when one side has only eth/68', async () => {
    const a = await side(1, [69, 68]);
    const b = await side(2, [68]);
    const link = await connect(a, b);
    expect(link.versions).toEqual([68, 68]);
    expect(link.bOnA.head?.hash).toBeDefined();
    link.stop();
    await link.runs;
  });

  it('serve each other at the same time without waiting on each other', async () => {
    const a = await side(1, [69]);
    const b = await side(2, [69]);
    const link = await connect(a, b);
    const [fromB, fromA] = await Promise.all([
      link.bOnA.requestHeadersByNumber(1n, 4),
      link.aOnB.requestHeadersByNumber(2n, 3, { skip: 1 }),
    ]);
    expect(fromB).toHaveLength(4);
    expect(fromA).toHaveLength(3);
    link.stop();
    await link.runs;
  });

  it('ends both runs when one side disconnects, and the peer set close() drops everyone', async () => {
    const a = await side(1, [69]);
    const b = await side(2, [69]);
    const link = await connect(a, b);
    a.peerSet.close();
    const results = await link.runs;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(a.peerSet.len + b.peerSet.len).toBe(0);
    expect(link.fakeB.disconnects).toEqual([DiscReason.ClientQuitting]);
  });
});
