import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { nodeIdToHex } from '@ethp2p/enode';
import type { Server } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardFeed } from '../../src/dashboard/feed.ts';
import type { UpdateMessage } from '../../src/dashboard/messages.ts';
import { nextEvent, senderProtocol, serverStarter } from './helpers.ts';

const startServer = serverStarter();
const feeds: DashboardFeed[] = [];
afterEach(() => {
  for (const f of feeds.splice(0)) f.stop();
});

function watch(feed: DashboardFeed): UpdateMessage[] {
  feeds.push(feed);
  const got: UpdateMessage[] = [];
  feed.events.on('update', (m) => got.push(m));
  feed.start();
  return got;
}

/** Two servers sending each other `size` bytes on connect; resolves once both see the peer. */
async function linked(size = 1000): Promise<[Server, Server]> {
  const options = { protocols: [senderProtocol(size)], enableMsgEvents: true };
  const a = await startServer({ ...options, name: 'alice/v1' });
  const b = await startServer({ ...options, name: 'bob/v2' });
  const added = Promise.all([nextEvent(a.events, 'peer:added'), nextEvent(b.events, 'peer:added')]);
  a.addPeer(b.self());
  await added;
  return [a, b];
}

describe('DashboardFeed', () => {
  it('shows the node and its peers in the snapshot', async () => {
    const [a, b] = await linked();
    const feed = new DashboardFeed({ server: a, clock: new SimulatedClock(1000) });
    watch(feed);
    const snap = feed.snapshot();
    expect(snap.type).toBe('snapshot');
    expect(snap.node).toEqual({
      id: nodeIdToHex(a.id),
      name: 'alice/v1',
      enode: a.nodeInfo().enode,
      listenAddr: a.listenAddress,
    });
    expect(snap.peers).toEqual([
      {
        id: nodeIdToHex(b.id),
        name: 'bob/v2',
        client: 'bob',
        caps: ['dash/1'],
        direction: 'outbound',
        remoteAddress: `127.0.0.1:${b.listenPort}`,
        rtt: null,
        bytesIn: expect.any(Number),
        bytesOut: expect.any(Number),
      },
    ]);
    expect(snap.table).toBeNull();
    expect(snap.head).toBeNull();
    expect(snap.traffic).toEqual([]);
    expect(snap.sampleIntervalMs).toBe(1000);
  });

  it('pushes peer:added and peer:removed with their activity, kept for later snapshots', async () => {
    const a = await startServer({ protocols: [senderProtocol(10)], enableMsgEvents: true });
    const b = await startServer({ protocols: [senderProtocol(10)], name: 'Geth/v1.14' });
    const clock = new SimulatedClock(5000);
    const feed = new DashboardFeed({ server: a, clock });
    const got = watch(feed);
    const added = nextEvent(a.events, 'peer:added');
    a.addPeer(b.self());
    await added;
    const idB = nodeIdToHex(b.id);
    expect(got).toEqual([
      {
        type: 'peer:added',
        peer: expect.objectContaining({ id: idB, client: 'Geth', direction: 'outbound' }),
        activity: { t: 5000, kind: 'peer:added', id: idB, detail: 'Geth/v1.14' },
      },
    ]);
    const removed = nextEvent(a.events, 'peer:removed');
    await b.stop();
    await removed;
    expect(got[1]).toEqual({
      type: 'peer:removed',
      id: idB,
      activity: {
        t: 5000,
        kind: 'peer:removed',
        id: idB,
        detail: 'client quitting (by the remote)',
      },
    });
    expect(feed.snapshot().activity.map((e) => e.kind)).toEqual(['peer:added', 'peer:removed']);
    expect(feed.snapshot().peers).toEqual([]);
  });

  it('reports a failed dial with its error', async () => {
    const a = await startServer();
    const gone = await startServer();
    const target = gone.self();
    await gone.stop();
    const feed = new DashboardFeed({ server: a, clock: new SimulatedClock() });
    const got = watch(feed);
    const failed = nextEvent(a.events, 'dial:failed');
    a.addPeer(target);
    await failed;
    expect(got).toEqual([
      {
        type: 'dial:failed',
        activity: {
          t: 0,
          kind: 'dial:failed',
          id: nodeIdToHex(target.id),
          detail: expect.stringMatching(/ECONNREFUSED/),
        },
      },
    ]);
  });

  it("ticks on its clock with the server's byte counters and each peer's, keeping a bounded history", async () => {
    const options = { protocols: [senderProtocol(4000)], enableMsgEvents: true };
    const a = await startServer(options);
    const b = await startServer(options);
    const clock = new SimulatedClock(0);
    const feed = new DashboardFeed({ server: a, clock, sampleIntervalMs: 500, historyLength: 3 });
    const got = watch(feed);
    const added = nextEvent(a.events, 'peer:added');
    a.addPeer(b.self());
    await added;
    const exchanged = (): boolean => {
      const traffic = a.peersInfo()[0]?.traffic;
      return traffic !== undefined && traffic.ingressMessages >= 1 && traffic.egressMessages >= 1;
    };
    await waitFor(exchanged, {
      on: { emitters: [a.events], events: ['peer:msg'] },
      what: 'both 4000-byte messages',
    });
    // The numbers of Prometheus (Server.metrics) and admin_peers (peersInfo traffic).
    const { ingressBytes, egressBytes } = a.metrics;
    const peer = a.peersInfo()[0]?.traffic;
    expect(ingressBytes).toBeGreaterThan(0);
    expect(egressBytes).toBeGreaterThan(0);
    const ticks = () => got.filter((m) => m.type === 'tick');
    clock.advance(499);
    expect(ticks()).toEqual([]);
    clock.advance(1);
    expect(ticks()).toEqual([
      {
        type: 'tick',
        // Every byte since the feed started (before the dial), in 0.5 s.
        sample: { t: 500, inBps: ingressBytes * 2, outBps: egressBytes * 2 },
        totals: { bytesIn: ingressBytes, bytesOut: egressBytes },
        peers: [
          {
            id: nodeIdToHex(b.id),
            rtt: null,
            bytesIn: peer?.ingressBytes,
            bytesOut: peer?.egressBytes,
          },
        ],
        table: null,
        head: null,
      },
    ]);
    clock.advance(500);
    const second = ticks()[1];
    expect(second?.type === 'tick' ? second.sample : undefined).toEqual({
      t: 1000,
      inBps: 0,
      outBps: 0,
    });
    clock.advance(2000);
    expect(ticks()).toHaveLength(6);
    expect(feed.snapshot().traffic.map((s) => s.t)).toEqual([2000, 2500, 3000]);
  });

  it('leaves no timer and no listener after stop()', async () => {
    const a = await startServer();
    const clock = new SimulatedClock();
    const feed = new DashboardFeed({ server: a, clock });
    const got = watch(feed);
    expect(clock.pending).toBe(1);
    feed.stop();
    feed.stop();
    expect(clock.pending).toBe(0);
    const b = await startServer();
    const added = nextEvent(a.events, 'peer:added');
    a.addPeer(b.self());
    await added;
    clock.advance(10_000);
    expect(got).toEqual([]);
  });

  it('refuses a non-positive sample interval', async () => {
    const a = await startServer();
    expect(() => new DashboardFeed({ server: a, sampleIntervalMs: 0 })).toThrow(RangeError);
  });
});
