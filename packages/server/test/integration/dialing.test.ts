import { waitFor } from '@ethp2p/base/testing';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { Server } from '../../src/server/server.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { nextEvent, SharedNodeSource, serverStarter } from './helpers.ts';

const startServer = serverStarter();

describe('dialing', () => {
  it('redials a static peer after it is dropped', async () => {
    // A short dial history so the redial is not held back for geth's 35 s.
    const a = await startServer({ dialer: { historyExpirationMs: 200 } });
    const b = await startServer();
    const first = nextEvent(b.events, 'peer:added');
    a.addPeer(b.self());
    const { peer } = await first;

    const removed = nextEvent(a.events, 'peer:removed');
    const again = nextEvent(b.events, 'peer:added', (e) => e.peer !== peer);
    peer.disconnect(DiscReason.Requested);
    expect(await removed).toMatchObject({ reason: DiscReason.Requested, remoteRequested: true });
    const second = await again;
    expect(second.peer.inbound).toBe(true);
    expect(a.peersInfo()[0]?.network.static).toBe(true);
    expect(a.dialMetrics.attempts).toBeGreaterThanOrEqual(2);
  });

  it('reports a failed dial with the node and the error, and none at stop', async () => {
    const a = await startServer();
    const b = await startServer();
    const target = b.self();
    await b.stop();
    const failed = nextEvent(a.events, 'dial:failed');
    a.addPeer(target);
    const e = await failed;
    expect(e.node.enodeUrl()).toBe(target.enodeUrl());
    expect(e.static).toBe(true);
    expect(e.error).toBeInstanceOf(Error);
    let atStop = 0;
    a.events.on('dial:failed', () => atStop++);
    await a.stop();
    expect(atStop).toBe(0);
  });

  it('dials a static node given by hostname', async () => {
    const a = await startServer();
    const b = await startServer();
    const byName = Node.fromEnodeUrl(
      b
        .self()
        .enodeUrl()
        .replace(/@127\.0\.0\.1:/, '@localhost:'),
    );
    expect(byName.hostname).toBe('localhost');
    const added = nextEvent(b.events, 'peer:added');
    a.addPeer(byName);
    expect(nodeIdToHex((await added).peer.id)).toBe(nodeIdToHex(a.id));
  });

  it('does not redial a static node after removePeer', async () => {
    const a = await startServer({ dialer: { historyExpirationMs: 1 } });
    const b = await startServer();
    const added = nextEvent(a.events, 'peer:added');
    a.addPeer(b.self());
    await added;
    const removed = nextEvent(b.events, 'peer:removed');
    a.removePeer(b.self());
    await removed;
    // Another static node is dialed after the removal: if b were still static it would have
    // been redialed first (its history entry expired long before).
    const c = await startServer();
    const cAdded = nextEvent(a.events, 'peer:added');
    a.addPeer(c.self());
    await cAdded;
    expect(a.peers().map((p) => nodeIdToHex(p.id))).toEqual([nodeIdToHex(c.id)]);
    expect(b.peerCount()).toBe(0);
  });

  it('10 servers with a shared node source reach their dynamic dial targets', async () => {
    const source = new SharedNodeSource(7);
    const mesh: Server[] = [];
    for (let i = 0; i < 10; i++) {
      // maxPeers 6 → 2 dialed slots and 4 inbound ones per server.
      mesh.push(
        await startServer({
          maxPeers: 6,
          nodeSource: source,
          dialer: { lookupIntervalMs: 50, historyExpirationMs: 500 },
        }),
      );
    }
    source.add(...mesh.map((s) => s.self()));
    const dialed = (s: Server): number => s.peers().filter((p) => !p.inbound).length;
    await waitFor(() => mesh.every((s) => dialed(s) >= 2), {
      what: 'every server dialed 2 peers',
      on: { emitters: mesh.map((s) => s.events), events: ['peer:added', 'peer:removed'] },
      signal: AbortSignal.timeout(20_000),
    });
    for (const s of mesh) {
      expect(s.peerCount()).toBeGreaterThanOrEqual(2);
      expect(s.peerCount()).toBeLessThanOrEqual(6);
      expect(s.peers().filter((p) => p.inbound).length).toBeLessThanOrEqual(4);
    }
  }, 30_000);
});
