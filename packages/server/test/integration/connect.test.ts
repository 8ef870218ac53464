import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { RLP } from '@ethereumjs/rlp';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { connect, type RlpxConnection } from '@ethp2p/rlpx';
import { describe, expect, it } from 'vitest';
import { PeerError } from '../../src/errors.ts';
import type { Protocol } from '../../src/protocol.ts';
import type { PeerMessageEvent } from '../../src/server/events.ts';
import type { Server } from '../../src/server/server.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { nextEvent, rawDial, serverStarter, testProtocol } from './helpers.ts';

const startServer = serverStarter();

/** Has `from` dial `to` as a static node and waits until both see the peer. */
async function link(from: Server, to: Server): Promise<void> {
  const added = Promise.all([
    nextEvent(from.events, 'peer:added', (e) => e.peer.inbound === false),
    nextEvent(to.events, 'peer:added', (e) => e.peer.inbound === true),
  ]);
  from.addPeer(to.self());
  await added;
}

/** Reads until a Disconnect arrives (the server's Hello may come first); returns its payload. */
async function readUntilDisconnect(conn: RlpxConnection): Promise<Uint8Array> {
  for (let i = 0; i < 4; i++) {
    const msg = await conn.readMsg();
    if (msg.code === 0x01) {
      conn.close();
      return msg.data;
    }
  }
  conn.close();
  throw new Error('no Disconnect');
}

function port(server: Server): number {
  return server.listenPort as number;
}

describe('Server over loopback', () => {
  it('reports the port it got for port 0', async () => {
    const server = await startServer();
    expect(server.listenPort).toBeGreaterThan(0);
    expect(server.listenAddress).toBe(`127.0.0.1:${server.listenPort}`);
    const info = server.nodeInfo();
    expect(info.ports.listener).toBe(server.listenPort);
    expect(info.enode).toContain(`@127.0.0.1:${server.listenPort}`);
    expect(info.enr).toMatch(/^enr:/);
    expect(info.listenAddr).toBe(server.listenAddress);
    expect(info.protocols).toEqual({ test: 'unknown' });
  });

  it('connects two servers: both see peer:added', async () => {
    const a = await startServer({ name: 'alice' });
    const b = await startServer({ name: 'bob' });
    const addedA = nextEvent(a.events, 'peer:added');
    const addedB = nextEvent(b.events, 'peer:added');
    a.addPeer(b.self());
    const [ea, eb] = await Promise.all([addedA, addedB]);
    expect(ea.peer.name).toBe('bob');
    expect(eb.peer.name).toBe('alice');
    expect(ea.peer.inbound).toBe(false);
    expect(eb.peer.inbound).toBe(true);
    expect(a.peerCount()).toBe(1);
    expect(b.peers()).toEqual([eb.peer]);
    const [pa] = a.peersInfo();
    expect(pa?.caps).toEqual(['test/1']);
    expect(pa?.name).toBe('bob');
    expect(pa?.network).toMatchObject({ inbound: false, static: true, trusted: false });
    expect(pa?.protocols).toEqual({ test: 'unknown' });
    const [pb] = b.peersInfo();
    expect(pb?.network).toMatchObject({ inbound: true, static: false, trusted: false });
    expect(pb?.network.remoteAddress).toBe(pa?.network.localAddress);
    expect(pb?.network.localAddress).toBe(pa?.network.remoteAddress);
  });

  it('shows a peer round trip (Ping → Pong) in peersInfo once the first Pong is back', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    const a = await startServer({ clock });
    const b = await startServer();
    await link(a, b);
    expect(a.peersInfo()[0]?.rtt).toBeUndefined();
    clock.advance(15_000); // a's ping timer fires; b answers at once, with no simulated time gone
    await waitFor(() => a.peersInfo()[0]?.rtt !== undefined, { what: "a Pong to a's Ping" });
    expect(a.peersInfo()[0]?.rtt).toEqual({ lastMs: 0, smoothedMs: 0 });
    expect(a.peers()[0]?.rtt?.samples).toBe(1);
  });

  it('refuses a connection from itself with Self', async () => {
    const key = generatePrivateKey();
    const a = await startServer({ privateKey: key });
    const failed = nextEvent(a.events, 'connection:failed');
    const outcome = await rawDial(port(a), a.self().publicKey, key);
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(PeerError);
    expect(error).toMatchObject({ reason: DiscReason.Self, remoteRequested: true });
    expect(await failed).toMatchObject({ reason: DiscReason.Self, inbound: true });
    expect(a.peerCount()).toBe(0);
  });

  it('refuses a peer with no shared protocol as UselessPeer, on both sides', async () => {
    const a = await startServer({ protocols: [testProtocol('test', 1)] });
    const b = await startServer({ protocols: [testProtocol('other', 1)] });
    const failedA = nextEvent(a.events, 'connection:failed');
    const failedB = nextEvent(b.events, 'connection:failed');
    a.addPeer(b.self());
    const [fa, fb] = await Promise.all([failedA, failedB]);
    expect(fa).toMatchObject({ reason: DiscReason.UselessPeer, inbound: false });
    expect(fb).toMatchObject({ reason: DiscReason.UselessPeer, inbound: true });
    expect(a.peerCount() + b.peerCount()).toBe(0);
  });

  it('a raw client with no shared protocol is told UselessPeer', async () => {
    const a = await startServer();
    const outcome = await rawDial(port(a), a.self().publicKey, generatePrivateKey(), [
      { name: 'nope', version: 9 },
    ]);
    // The client ran its Hello; the server's Disconnect follows it.
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const msg = await outcome.conn.readMsg();
    outcome.conn.close();
    expect(msg.code).toBe(0x01);
    expect(RLP.decode(msg.data)).toEqual([Uint8Array.of(DiscReason.UselessPeer)]);
  });

  it('a full server answers TooManyPeers', async () => {
    const full = await startServer({ maxPeers: 1, noDial: true });
    const first = await startServer();
    await link(first, full);

    const late = await startServer();
    const failed = nextEvent(late.events, 'connection:failed');
    late.addPeer(full.self());
    expect(await failed).toMatchObject({
      reason: DiscReason.TooManyPeers,
      remoteRequested: true,
      inbound: false,
    });

    const outcome = await rawDial(port(full), full.self().publicKey, generatePrivateKey());
    expect(outcome).toMatchObject({ ok: false, error: { reason: DiscReason.TooManyPeers } });
    expect(full.peerCount()).toBe(1);
  });

  it('refuses inbound peers over the inbound share', async () => {
    // dialRatio 1: every slot is for dialed peers, none for inbound.
    const a = await startServer({ maxPeers: 2, dialRatio: 1 });
    const outcome = await rawDial(port(a), a.self().publicKey, generatePrivateKey());
    expect(outcome).toMatchObject({ ok: false, error: { reason: DiscReason.TooManyPeers } });
  });

  it('closes inbound connections beyond the pending-handshake limit', async () => {
    const a = await startServer({ maxPendingPeers: 1 });
    // A TCP connection that never starts its handshake holds the only slot.
    const idle = tcpConnect({ host: '127.0.0.1', port: port(a) });
    idle.on('error', () => {});
    await once(idle, 'connect');
    await expect(rawDial(port(a), a.self().publicKey, generatePrivateKey())).rejects.toMatchObject({
      name: 'RlpxError',
    });
    idle.destroy();
  });

  it('survives garbage before and after the RLPx handshake', async () => {
    const a = await startServer();
    // Garbage instead of an auth message: the handshake fails and the socket is closed.
    const junk = tcpConnect({ host: '127.0.0.1', port: port(a) });
    junk.on('error', () => {});
    await once(junk, 'connect');
    junk.write(Buffer.alloc(600, 0xab));
    await once(junk, 'close');

    // A valid RLPx session whose first message is not a Hello: ProtocolError, announced.
    const failed = nextEvent(a.events, 'connection:failed');
    const key = generatePrivateKey();
    const conn = await connect('127.0.0.1', port(a), a.self().publicKey, {
      privateKey: key,
      signal: AbortSignal.timeout(10_000),
    });
    await conn.writeMsg(0x00, Uint8Array.of(0xc3, 0x01, 0x02, 0x03));
    const reply = await readUntilDisconnect(conn);
    expect(reply).toEqual(Uint8Array.of(0xc1, DiscReason.ProtocolError));
    expect(await failed).toMatchObject({ reason: DiscReason.ProtocolError, inbound: true });

    // The server still takes peers.
    await link(await startServer(), a);
  });

  it('admits a trusted peer beyond maxPeers', async () => {
    const full = await startServer({ maxPeers: 1, noDial: true });
    await link(await startServer(), full);
    const trusted = await startServer();
    full.addTrustedPeer(trusted.self());
    await link(trusted, full);
    expect(full.peerCount()).toBe(2);
    const trustOf = (): boolean | undefined =>
      full.peersInfo().find((p) => p.id === trusted.nodeInfo().id)?.network.trusted;
    expect(trustOf()).toBe(true);
    // Trust changes show at once on the connected peer, which stays connected.
    full.removeTrustedPeer(trusted.self());
    expect(trustOf()).toBe(false);
    full.addTrustedPeer(trusted.self());
    expect(trustOf()).toBe(true);
    expect(full.peerCount()).toBe(2);

    // Trust from the options works the same way.
    const third = await startServer();
    const full2 = await startServer({ maxPeers: 0, trustedNodes: [third.self()] });
    await link(third, full2);
    expect(full2.peerCount()).toBe(1);
  });

  it('dials static nodes beyond maxPeers', async () => {
    const a = await startServer({ maxPeers: 1 });
    await link(a, await startServer());
    await link(a, await startServer());
    expect(a.peerCount()).toBe(2);
    expect(a.peersInfo().every((p) => p.network.static)).toBe(true);
  });

  it('removePeer disconnects with Requested', async () => {
    const a = await startServer();
    const b = await startServer();
    await link(a, b);
    const removedA = nextEvent(a.events, 'peer:removed');
    const removedB = nextEvent(b.events, 'peer:removed');
    a.removePeer(b.self());
    expect(await removedA).toMatchObject({ reason: DiscReason.Requested, remoteRequested: false });
    expect(await removedB).toMatchObject({ reason: DiscReason.Requested, remoteRequested: true });
    expect(a.peerCount()).toBe(0);
    expect(b.peerCount()).toBe(0);
  });

  it('emits peer:msg only with enableMsgEvents', async () => {
    const greeter = (): Protocol => ({
      name: 'test',
      version: 1,
      length: 2,
      async run(_peer, rw, { signal }) {
        await rw.writeMsg(1, RLP.encode('hi'));
        while (!signal.aborted) await rw.readMsg().catch(() => undefined);
      },
    });
    const a = await startServer({ protocols: [greeter()], enableMsgEvents: true });
    const b = await startServer({ protocols: [greeter()] });
    const seen: PeerMessageEvent[] = [];
    a.events.on('peer:msg', (e) => seen.push(e));
    let quiet = 0;
    b.events.on('peer:msg', () => quiet++);
    a.addPeer(b.self());
    await waitFor(() => seen.length >= 2, {
      what: 'two message events',
      on: { emitters: [a.events], events: ['peer:msg'] },
    });
    const strip = ({ peer: _p, ...rest }: PeerMessageEvent) => rest;
    expect(seen.map(strip)).toEqual(
      expect.arrayContaining([
        { direction: 'send', protocol: 'test', version: 1, code: 1, size: 3 },
        { direction: 'receive', protocol: 'test', version: 1, code: 1, size: 3 },
      ]),
    );
    expect(seen[0]?.peer).toBe(a.peers()[0]);
    expect(quiet).toBe(0);
  });
});
