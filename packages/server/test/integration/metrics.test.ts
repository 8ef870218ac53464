import { once } from 'node:events';
import { createServer, connect as tcpConnect } from 'node:net';
import { type Clock, systemClock, type Timer } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { connect } from '@ethp2p/rlpx';
import { describe, expect, it } from 'vitest';
import type { MsgReadWriter, Protocol, ProtocolPeer, RunOptions } from '../../src/protocol.ts';
import type { ConnectionErrorClass, ServerMetrics } from '../../src/server/metrics.ts';
import type { Server } from '../../src/server/server.ts';
import { nextEvent, rawDial, serverStarter, testProtocol, WAIT_MS } from './helpers.ts';

const startServer = serverStarter();

/** A protocol that sends `count` messages of code 2 (100 bytes each), then reads until closed. */
function sender(count: number): Protocol {
  return {
    name: 'test',
    version: 1,
    length: 4,
    async run(_peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
      try {
        for (let i = 0; i < count; i++) await rw.writeMsg(2, new Uint8Array(100).fill(i));
        while (!signal.aborted) await rw.readMsg();
      } catch {
        // the stream closed
      }
    },
  };
}

/** The system clock moved forward by `offsetMs` (timers are the system's). */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return systemClock.now() + this.offsetMs;
  }
  schedule(ms: number, fn: () => void): Timer {
    return systemClock.schedule(ms, fn);
  }
}

async function link(from: Server, to: Server): Promise<void> {
  const added = Promise.all([
    nextEvent(from.events, 'peer:added'),
    nextEvent(to.events, 'peer:added'),
  ]);
  from.addPeer(to.self());
  await added;
}

/** Waits until the `side` error count of class `kind` reaches 1. */
async function errorCounted(
  server: Server,
  side: 'dials' | 'serves',
  kind: ConnectionErrorClass,
): Promise<ServerMetrics> {
  await waitFor(() => server.metrics[side].errors[kind] === 1, {
    what: `${side} error ${kind}`,
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const m = server.metrics;
  const total = Object.values(m[side].errors).reduce((a, b) => a + b, 0);
  expect(total).toBe(1);
  return m;
}

function port(server: Server): number {
  return server.listenPort as number;
}

describe('Server.metrics', () => {
  it('starts at zero with a slot for each registered protocol', async () => {
    const a = await startServer();
    const m = a.metrics;
    expect(m.peers).toEqual({ total: 0, inbound: 0, outbound: 0 });
    expect(m.ingressBytes).toBe(0);
    expect(m.egressBytes).toBe(0);
    expect(m.dials).toMatchObject({ attempts: 0, succeeded: 0, succeededOneMinute: 0 });
    expect(Object.values(m.serves.errors).every((n) => n === 0)).toBe(true);
    expect(m.handshakeDuration.inbound.count).toBe(0);
    expect(m.messages).toEqual([{ protocol: 'test', version: 1, codes: [] }]);
  });

  it('counts peers, dials, serves, handshakes, wire bytes and messages between two servers', async () => {
    const a = await startServer({ protocols: [sender(3)] });
    const b = await startServer({ protocols: [sender(1)] });
    await link(a, b);
    // Every message is read, and both ends agree on the bytes each way.
    await waitFor(
      () => {
        const [ma, mb] = [a.metrics, b.metrics];
        const [ta, tb] = [ma.messages[0]?.codes[0], mb.messages[0]?.codes[0]];
        return (
          ta?.ingressPackets === 1 &&
          tb?.ingressPackets === 3 &&
          ma.egressBytes === mb.ingressBytes &&
          mb.egressBytes === ma.ingressBytes
        );
      },
      { what: 'messages counted on both ends', signal: AbortSignal.timeout(WAIT_MS) },
    );
    const [ma, mb] = [a.metrics, b.metrics];
    expect(ma.peers).toEqual({ total: 1, inbound: 0, outbound: 1 });
    expect(mb.peers).toEqual({ total: 1, inbound: 1, outbound: 0 });
    expect(ma.dials).toMatchObject({ attempts: 1, succeeded: 1 });
    expect(mb.serves).toMatchObject({ attempts: 1, succeeded: 1 });
    expect(ma.serves.attempts + mb.dials.attempts).toBe(0);
    expect(ma.handshakeDuration.outbound.count).toBe(1);
    expect(mb.handshakeDuration.inbound.count).toBe(1);
    expect(ma.handshakeDuration.outbound.cumulativeCounts.at(-1)).toBe(1);
    expect(ma.handshakeDuration.outbound.sumSeconds).toBeGreaterThan(0);
    // The EIP-8 auth alone is over 300 bytes.
    expect(ma.egressBytes).toBeGreaterThan(300);
    const [sent] = ma.messages[0]?.codes ?? [];
    expect(sent).toMatchObject({ code: 2, egressPackets: 3, ingressPackets: 1 });
    const [got] = mb.messages[0]?.codes ?? [];
    expect(got).toMatchObject({ code: 2, egressPackets: 1, ingressPackets: 3 });
    // Wire sizes: what one end wrote is what the other read.
    expect(got?.ingressBytes).toBe(sent?.egressBytes);
    expect(sent?.ingressBytes).toBe(got?.egressBytes);
    // Snappy shrinks the uniform payloads: these are frame sizes on the wire, not payload sizes.
    expect(sent?.egressBytes).toBeGreaterThan(3 * 32);
    expect(sent?.egressBytes).toBeLessThan(3 * 100);
    const [pa] = a.peersInfo();
    expect(pa?.traffic).toMatchObject({ ingressMessages: 1, egressMessages: 3 });
    expect(pa?.traffic.egressBytes).toBe(ma.egressBytes);

    // After the peer is gone its bytes stay counted, once.
    const removed = nextEvent(a.events, 'peer:removed');
    a.removePeer(b.self());
    await removed;
    const after = a.metrics;
    expect(after.peers.total).toBe(0);
    expect(after.egressBytes).toBeGreaterThanOrEqual(ma.egressBytes);
    expect(after.egressBytes).toBeLessThan(ma.egressBytes + 100);
    expect(after.messages).toEqual(ma.messages);
  });

  it('counts peers that stay a minute, while connected and after', async () => {
    const clock = new ShiftedClock();
    const a = await startServer({ clock });
    const b = await startServer();
    await link(a, b);
    expect(a.metrics.dials.succeededOneMinute).toBe(0);
    clock.offsetMs = 60_000;
    expect(a.metrics.dials.succeededOneMinute).toBe(1);
    const removed = nextEvent(a.events, 'peer:removed');
    a.removePeer(b.self());
    await removed;
    expect(a.metrics.dials).toMatchObject({ succeeded: 1, succeededOneMinute: 1 });
    expect(a.metrics.serves.succeededOneMinute).toBe(0);
  });

  it('classes a refused TCP connect as connection', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port: deadPort } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const a = await startServer();
    const ghost = Node.fromPublicKey(publicKey(generatePrivateKey()), {
      ip: '127.0.0.1',
      tcp: deadPort,
    });
    a.addPeer(ghost);
    const m = await errorCounted(a, 'dials', 'connection');
    expect(m.dials.attempts).toBeGreaterThanOrEqual(1);
  });

  it('classes TooManyPeers from the remote as saturated on the dialing side', async () => {
    const full = await startServer({ maxPeers: 1, noDial: true });
    await link(await startServer(), full);
    const late = await startServer();
    late.addPeer(full.self());
    await errorCounted(late, 'dials', 'saturated');
    await errorCounted(full, 'serves', 'saturated');
  });

  it('classes a protocol mismatch as useless on both sides', async () => {
    const a = await startServer({ protocols: [testProtocol('test', 1)] });
    const b = await startServer({ protocols: [testProtocol('other', 1)] });
    a.addPeer(b.self());
    await errorCounted(a, 'dials', 'useless');
    await errorCounted(b, 'serves', 'useless');
  });

  it('classes inbound self and already-connected refusals', async () => {
    const key = generatePrivateKey();
    const a = await startServer({ privateKey: key });
    await rawDial(port(a), a.self().publicKey, key);
    await errorCounted(a, 'serves', 'self');

    const b = await startServer();
    const other = generatePrivateKey();
    const first = await rawDial(port(b), b.self().publicKey, other);
    const second = await rawDial(port(b), b.self().publicKey, other);
    expect(second.ok).toBe(false);
    await errorCounted(b, 'serves', 'known');
    if (first.ok) first.conn.close();
  });

  it('classes garbage instead of an auth message as rlpx/enc, and counts its bytes', async () => {
    const a = await startServer();
    const socket = tcpConnect(port(a), '127.0.0.1');
    await once(socket, 'connect');
    // A size prefix of 200, then 200 bytes that are no ECIES message.
    socket.write(Uint8Array.of(0, 200));
    socket.write(new Uint8Array(200).fill(1));
    const m = await errorCounted(a, 'serves', 'rlpx/enc');
    socket.destroy();
    expect(m.serves.attempts).toBe(1);
    await waitFor(() => a.metrics.ingressBytes === 202, {
      what: 'the bytes of the failed connection',
      signal: AbortSignal.timeout(WAIT_MS),
    });
  });

  it('classes a message other than Hello as rlpx/proto', async () => {
    const a = await startServer();
    const signal = AbortSignal.timeout(WAIT_MS);
    const conn = await connect('127.0.0.1', port(a), a.self().publicKey, {
      privateKey: generatePrivateKey(),
      signal,
    });
    await conn.writeMsg(0x10, Uint8Array.of(0xc0));
    await errorCounted(a, 'serves', 'rlpx/proto');
    conn.close();
  });

  it('classes a silent inbound connection as timeout', async () => {
    const a = await startServer({ handshakeTimeoutMs: 50 });
    const socket = tcpConnect(port(a), '127.0.0.1');
    await once(socket, 'connect');
    await errorCounted(a, 'serves', 'timeout');
    socket.destroy();
  });
});
