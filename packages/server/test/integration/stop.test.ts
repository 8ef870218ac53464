import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../src/server/config.ts';
import type { PeerRemovedEvent } from '../../src/server/events.ts';
import { Server } from '../../src/server/server.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { activeResources, nextEvent, rawDial, TrackingClock, testProtocol } from './helpers.ts';

/** Handle kinds counted; the server's timers are counted by the TrackingClock instead. */
const KINDS = ['TCPSocketWrap', 'TCPServerWrap'] as const;

function snapshot(): Record<(typeof KINDS)[number], number> {
  const counts = activeResources();
  return Object.fromEntries(KINDS.map((k) => [k, counts.get(k) ?? 0])) as Record<
    (typeof KINDS)[number],
    number
  >;
}

function isEqual(a: Record<string, number>, b: Record<string, number>): boolean {
  return KINDS.every((k) => a[k] === b[k]);
}

function make(clock: TrackingClock | SimulatedClock, options: Partial<ServerOptions> = {}): Server {
  return new Server({
    privateKey: generatePrivateKey(),
    listenAddress: '127.0.0.1:0',
    protocols: [testProtocol()],
    clock,
    ...options,
  });
}

describe('Server.stop', () => {
  it('sends ClientQuitting to every peer and leaves no socket or timer', async () => {
    const before = snapshot();
    const clock = new TrackingClock();
    const hub = make(clock);
    const spokes = [make(clock), make(clock), make(clock)];
    await hub.start();
    for (const s of spokes) await s.start();
    // Two spokes dial the hub, the hub dials the third: peers in both directions.
    const hubAdded = waitFor(() => hub.peerCount() === 3, {
      what: 'the hub has 3 peers',
      on: { emitters: [hub.events], events: ['peer:added'] },
    });
    spokes[0]?.addPeer(hub.self());
    spokes[1]?.addPeer(hub.self());
    if (spokes[2] !== undefined) hub.addPeer(spokes[2].self());
    await hubAdded;
    await waitFor(() => spokes.every((s) => s.peerCount() === 1), {
      what: 'every spoke has its peer',
      on: { emitters: spokes.map((s) => s.events), events: ['peer:added'] },
    });

    // A pending inbound handshake: a bare TCP socket that never speaks.
    const idle = tcpConnect({ host: '127.0.0.1', port: hub.listenPort as number });
    idle.on('error', () => {});
    await once(idle, 'connect');

    const seen: PeerRemovedEvent[] = [];
    for (const s of spokes) s.events.on('peer:removed', (e) => seen.push(e));
    const hubRemoved: PeerRemovedEvent[] = [];
    hub.events.on('peer:removed', (e) => hubRemoved.push(e));
    const port = hub.listenPort as number;
    await hub.stop();

    expect(hub.peerCount()).toBe(0);
    expect(hubRemoved).toHaveLength(3);
    for (const e of hubRemoved) {
      expect(e).toMatchObject({ reason: DiscReason.ClientQuitting, remoteRequested: false });
    }
    await waitFor(() => seen.length === 3, {
      what: 'every spoke lost the hub',
      on: { emitters: spokes.map((s) => s.events), events: ['peer:removed'] },
    });
    for (const e of seen) {
      expect(e).toMatchObject({ reason: DiscReason.ClientQuitting, remoteRequested: true });
    }
    // The idle socket was closed by the hub, and the listener is gone.
    if (!idle.closed) await once(idle, 'close');
    const late = tcpConnect({ host: '127.0.0.1', port });
    const [err] = await once(late, 'error');
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    if (!late.closed) await once(late, 'close');

    for (const s of spokes) await s.stop();
    expect(clock.pending).toBe(0);
    // libuv releases a closed handle in the close phase of a later loop turn: allow a few.
    for (let turn = 0; turn < 10 && !isEqual(snapshot(), before); turn++) {
      await new Promise((r) => setImmediate(r));
    }
    expect(snapshot()).toEqual(before);
  });

  it('is idempotent, works before start, and start() after stop() throws', async () => {
    const clock = new SimulatedClock();
    const server = make(clock);
    await Promise.all([server.stop(), server.stop()]);
    await expect(server.start()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(clock.pending).toBe(0);
  });

  it('aborts handshakes in progress', async () => {
    const clock = new TrackingClock();
    const server = make(clock);
    await server.start();
    const idle = tcpConnect({ host: '127.0.0.1', port: server.listenPort as number });
    idle.on('error', () => {});
    await once(idle, 'connect');
    // A raw client that completes RLPx but never finishes Hello would also be pending;
    // the TCP-only one covers the handshake stage.
    await server.stop();
    if (!idle.closed) await once(idle, 'close');
    expect(clock.pending).toBe(0);
  });

  it('a peer connected by a raw client gets Disconnect(ClientQuitting)', async () => {
    const clock = new TrackingClock();
    const server = make(clock);
    await server.start();
    const added = nextEvent(server.events, 'peer:added');
    const outcome = await rawDial(
      server.listenPort as number,
      server.self().publicKey,
      generatePrivateKey(),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    await added;
    const stopping = server.stop();
    const msg = await outcome.conn.readMsg();
    outcome.conn.close();
    await stopping;
    expect(msg.code).toBe(0x01);
    expect(msg.data).toEqual(Uint8Array.of(0xc1, 0x08));
    expect(clock.pending).toBe(0);
  });
});
