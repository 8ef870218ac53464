/**
 * The machinery of `pnpm bench peers`, in process and small: bench peers connect to a full node,
 * echo its Status, announce transactions the node fetches and relays to the other peers; and the
 * descriptor check says what to do when `ulimit -n` is short. The figures live in the bench.
 */
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBenchNode } from '../src/peers/bench-node.ts';
import { BenchPeers } from '../src/peers/bench-peers.ts';
import { descriptorAdvice, marginalPerPeer } from '../src/peers.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('bench peers', () => {
  it('connect, echo the Status, and gossip through the node to the other peers', async () => {
    const { node, stop } = await startBenchNode(16);
    cleanup.push(stop);
    const peers = new BenchPeers({ target: node.self(), ethVersion: 69, count: 3 });
    cleanup.push(() => peers.stop());
    await peers.start(AbortSignal.timeout(20_000));
    expect(peers.counts.ready).toBe(3);
    await waitFor(() => node.peerSet.len === 3, { what: 'the node registers 3 eth peers' });

    peers.announce(1, 2);
    await waitFor(() => node.txPool.size === 2, { what: 'the node fetches both transactions' });
    await waitFor(() => peers.counts.hashesReceived + peers.counts.txsReceived === 4, {
      what: 'the node relays both to the 2 other peers',
    });
    const c = peers.counts;
    expect(c).toMatchObject({ announcementsSent: 1, hashesSent: 2, requestsServed: 1 });
    expect(c.txsServed).toBe(2);
    expect(c.dropped).toBe(0);
  }, 60_000);

  it('takes the per-peer slope between two runs, leaving out what the node spends once', () => {
    // 1 MiB once for having peers, then 20 KiB a peer: the averages are 30.24 and 21.02 KiB.
    const run = (connected: number) => ({
      connected,
      heapBefore: 50 << 20,
      heapIdle: (50 << 20) + (1 << 20) + connected * 20 * 1024,
      rssBefore: 100 << 20,
      rssIdle: (100 << 20) + connected * 40 * 1024,
    });
    expect(marginalPerPeer(run(100), run(1000), 'heap')).toBe(20 * 1024);
    expect(marginalPerPeer(run(100), run(1000), 'rss')).toBe(40 * 1024);
    expect(marginalPerPeer(run(100), run(100), 'heap')).toBeNaN();
  });

  it('says how to raise a descriptor limit that is too low for the peers', () => {
    expect(descriptorAdvice(20_000, 1000)).toBeNull();
    const advice = descriptorAdvice(1024, 1000);
    expect(advice).toContain('ulimit -n is 1024');
    expect(advice).toContain('ulimit -n 4096');
    expect(descriptorAdvice(null, 10)).toContain('could not read ulimit -n');
  });
});
