/**
 * Our Server against `@ethereumjs/devp2p` RLPx nodes on loopback: it accepts and dials them,
 * Hello and an eth/68 Status cross, Ping and Pong cross both ways, and Disconnect reasons
 * cross both ways, including the refusals of a full server and of a peer with no shared
 * capability.
 */

import { DISCONNECT_REASON, SNAP } from '@ethereumjs/devp2p';
import { RLP } from '@ethereumjs/rlp';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscReason, Server, type ServerOptions } from '../../src/index.ts';
import { PING_INTERVAL_MS } from '../../src/wire/index.ts';
import { nextEvent, WAIT_MS } from '../integration/helpers.ts';
import { createEjs, type Ejs, ejsNode, ejsStatusExchange } from './ejs.ts';
import { type EthStandIn, ethStandIn, MAINNET_GENESIS_HASH } from './eth-stand-in.ts';
import { TcpRelay } from './tcp-relay.ts';

/** One small frame: 16-byte header + its MAC, a body padded to 16 bytes + its MAC (Ping, Pong). */
const SMALL_FRAME_BYTES = 64;

const teardown: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of teardown.splice(0).reverse()) await step();
  vi.useRealTimers();
});

/** A started server running the eth/68 stand-in; stopped after the test. */
async function startServer(
  options: Partial<ServerOptions> = {},
): Promise<{ server: Server; eth: EthStandIn; port: number }> {
  const eth = ethStandIn();
  const server = new Server({
    privateKey: generatePrivateKey(),
    name: 'ethp2p-interop',
    listenAddress: '127.0.0.1:0',
    protocols: [eth],
    ...options,
  });
  teardown.push(() => server.stop());
  await server.start();
  return { server, eth, port: server.listenPort as number };
}

/** An ethereumjs node, destroyed after the test (after our servers stop). */
function ejsNodeFor(options: Parameters<typeof createEjs>[0] = {}): Ejs {
  const ejs = createEjs(options);
  teardown.push(() => ejs.destroy());
  return ejs;
}

function clientIdOf(ejs: Ejs): string {
  return new TextDecoder().decode(ejs.rlpx.clientId);
}

/** Has `ejs` dial `server` at `port`; resolves to both sides' peers once both added it. */
async function ejsDials(ejs: Ejs, server: Server, port: number, signal: AbortSignal) {
  const ours = nextEvent(server.events, 'peer:added');
  await ejs.dial(server, port, signal);
  const [{ peer }, theirs] = await Promise.all([ours, ejs.added.next(signal)]);
  return { peer, theirs };
}

/** Has `server` dial `ejs` (listening on `port`) as a static node; resolves to both peers. */
async function serverDials(ejs: Ejs, server: Server, port: number, signal: AbortSignal) {
  const ours = nextEvent(server.events, 'peer:added');
  server.addPeer(ejsNode(ejs, port));
  const [{ peer }, theirs] = await Promise.all([ours, ejs.added.next(signal)]);
  return { peer, theirs };
}

describe('Server with @ethereumjs/devp2p nodes', () => {
  it('accepts an ethereumjs dial: Hello, eth/68 at offset 16, and Status cross', async () => {
    const signal = AbortSignal.timeout(WAIT_MS);
    const { server, eth, port } = await startServer({ enableMsgEvents: true });
    const ejs = ejsNodeFor();
    const statusIn = nextEvent(server.events, 'peer:msg', (e) => e.direction === 'receive');
    const { peer, theirs } = await ejsDials(ejs, server, port, signal);

    expect(peer.inbound).toBe(true);
    expect(peer.name).toBe(clientIdOf(ejs));
    expect(peer.name).toMatch(/^ethereumjs-devp2p\//);
    expect(peer.publicKey).toEqual(ejs.publicKey);
    expect(peer.caps).toContainEqual({ name: 'eth', version: 68 });
    expect(peer.matched.map((m) => [m.protocol.name, m.protocol.version, m.offset])).toEqual([
      ['eth', 68, 16],
    ]);
    expect(theirs.getHelloMessage()).toMatchObject({
      clientId: 'ethp2p-interop',
      capabilities: [{ name: 'eth', version: 68 }],
    });
    expect(theirs.getHelloMessage()?.id).toEqual(server.publicKey);

    // ethereumjs checks our Status (version, network, genesis, fork ID) before reporting its own.
    const status = await ejsStatusExchange(theirs, signal);
    expect(status).toMatchObject({ chainId: Uint8Array.of(1), genesisHash: MAINNET_GENESIS_HASH });
    expect(await statusIn).toMatchObject({ protocol: 'eth', version: 68, code: 0 });
    const msg = await eth.received.next(signal);
    expect(msg.code).toBe(0);
    const theirStatus = RLP.decode(msg.data) as Uint8Array[];
    expect(theirStatus[1]).toEqual(Uint8Array.of(1));
    expect(theirStatus[4]).toEqual(MAINNET_GENESIS_HASH);
    expect(ejs.errors).toEqual([]);
  });

  it('dials an ethereumjs node: both add the peer and Status crosses', async () => {
    const signal = AbortSignal.timeout(WAIT_MS);
    const { server } = await startServer();
    const ejs = ejsNodeFor();
    const ejsPort = await ejs.listen(signal);
    const { peer, theirs } = await serverDials(ejs, server, ejsPort, signal);

    expect(peer.inbound).toBe(false);
    expect(peer.name).toBe(clientIdOf(ejs));
    expect(peer.remoteAddress).toBe(`127.0.0.1:${ejsPort}`);
    expect(server.peersInfo()[0]?.network).toMatchObject({ inbound: false, static: true });
    expect(theirs.getHelloMessage()?.clientId).toBe('ethp2p-interop');
    await ejsStatusExchange(theirs, signal);
    expect(server.peerCount()).toBe(1);
    expect(ejs.errors).toEqual([]);
  });

  it('Ping and Pong cross both ways', async () => {
    // ethereumjs pings every 15 s with setInterval: fake only that, so its real ping loop runs
    // when we advance it. Our ping loop and read timeout run on the simulated clock.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const signal = AbortSignal.timeout(WAIT_MS);
    const clock = new SimulatedClock(1_700_000_000_000);
    const { server, port } = await startServer({ clock, noDial: true, enableMsgEvents: true });
    const relay = await TcpRelay.open(port);
    teardown.push(() => relay.close());
    const ejs = ejsNodeFor();
    const statusIn = nextEvent(server.events, 'peer:msg', (e) => e.direction === 'receive');
    const { peer, theirs } = await ejsDials(ejs, server, relay.port, signal);
    await Promise.all([ejsStatusExchange(theirs, signal), statusIn]);
    // The Status exchange is over; nothing else is in flight. 'toTarget' is ethereumjs → us.

    // Our Ping (after 15 s on our clock) and ethereumjs's Pong.
    let ours = relay.bytes('fromTarget');
    let theirsBytes = relay.bytes('toTarget');
    clock.advance(PING_INTERVAL_MS);
    await relay.reach('fromTarget', ours + SMALL_FRAME_BYTES, signal);
    await relay.reach('toTarget', theirsBytes + SMALL_FRAME_BYTES, signal);
    expect(relay.bytes('toTarget')).toBe(theirsBytes + SMALL_FRAME_BYTES);
    // The relay passed the Pong on; wait until our peer has read it, before the clock moves on.
    await waitFor(() => (peer.rtt?.samples ?? 0) === 1, { what: 'the first Pong is read', signal });

    // That frame was read: at 30 s our read idle timeout (armed by the last read at 0 s) would
    // have ended the peer had the Pong not re-armed it. The second Ping is answered too.
    ours = relay.bytes('fromTarget');
    theirsBytes = relay.bytes('toTarget');
    clock.advance(PING_INTERVAL_MS);
    await relay.reach('fromTarget', ours + SMALL_FRAME_BYTES, signal);
    await relay.reach('toTarget', theirsBytes + SMALL_FRAME_BYTES, signal);
    await waitFor(() => (peer.rtt?.samples ?? 0) === 2, {
      what: 'the second Pong is read',
      signal,
    });
    expect(peer.end).toBeNull();

    // ethereumjs's Ping (its 15 s interval) and our Pong.
    ours = relay.bytes('fromTarget');
    theirsBytes = relay.bytes('toTarget');
    vi.advanceTimersByTime(15_000);
    await relay.reach('toTarget', theirsBytes + SMALL_FRAME_BYTES, signal);
    await relay.reach('fromTarget', ours + SMALL_FRAME_BYTES, signal);
    expect(relay.bytes('fromTarget')).toBe(ours + SMALL_FRAME_BYTES);
    expect(server.peerCount()).toBe(1);
    expect(ejs.errors).toEqual([]);
  });

  describe('Disconnect reasons from us reach ethereumjs', () => {
    it.each([
      ['UselessPeer', DiscReason.UselessPeer, DISCONNECT_REASON.USELESS_PEER],
      ['TooManyPeers', DiscReason.TooManyPeers, DISCONNECT_REASON.TOO_MANY_PEERS],
      ['SubprotocolError', DiscReason.SubprotocolError, DISCONNECT_REASON.SUBPROTOCOL_ERROR],
    ])('peer.disconnect(%s)', async (_name, reason, ejsReason) => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server, port } = await startServer();
      const ejs = ejsNodeFor();
      const { peer } = await ejsDials(ejs, server, port, signal);
      const removed = nextEvent(server.events, 'peer:removed');
      peer.disconnect(reason);
      expect(await removed).toMatchObject({ peer, reason, remoteRequested: false });
      expect(await ejs.removed.next(signal)).toMatchObject({
        reason: ejsReason,
        disconnectWe: false,
      });
    });

    it('removePeer(node) sends Requested', async () => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server } = await startServer();
      const ejs = ejsNodeFor();
      const ejsPort = await ejs.listen(signal);
      await serverDials(ejs, server, ejsPort, signal);
      const removed = nextEvent(server.events, 'peer:removed');
      server.removePeer(ejsNode(ejs, ejsPort));
      expect(await removed).toMatchObject({ reason: DiscReason.Requested, remoteRequested: false });
      expect(await ejs.removed.next(signal)).toMatchObject({
        reason: DISCONNECT_REASON.DISCONNECT_REQUESTED,
        disconnectWe: false,
      });
    });

    it('stop() sends ClientQuitting', async () => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server, port } = await startServer();
      const ejs = ejsNodeFor();
      await ejsDials(ejs, server, port, signal);
      await server.stop();
      expect(await ejs.removed.next(signal)).toMatchObject({
        reason: DISCONNECT_REASON.CLIENT_QUITTING,
        disconnectWe: false,
      });
    });
  });

  describe('Disconnect reasons from ethereumjs reach us', () => {
    it.each([
      ['CLIENT_QUITTING', 'in', DISCONNECT_REASON.CLIENT_QUITTING, DiscReason.ClientQuitting],
      ['TOO_MANY_PEERS', 'out', DISCONNECT_REASON.TOO_MANY_PEERS, DiscReason.TooManyPeers],
      ['SUBPROTOCOL_ERROR', 'in', DISCONNECT_REASON.SUBPROTOCOL_ERROR, DiscReason.SubprotocolError],
      ['DISCONNECT_REQUESTED', 'out', DISCONNECT_REASON.DISCONNECT_REQUESTED, DiscReason.Requested],
    ] as const)('%s on an %sbound peer', async (_name, direction, ejsReason, reason) => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server, port } = await startServer();
      const ejs = ejsNodeFor();
      let theirs: Awaited<ReturnType<typeof ejsDials>>['theirs'];
      let node: ReturnType<typeof ejsNode> | undefined;
      if (direction === 'in') {
        ({ theirs } = await ejsDials(ejs, server, port, signal));
      } else {
        const ejsPort = await ejs.listen(signal);
        ({ theirs } = await serverDials(ejs, server, ejsPort, signal));
        node = ejsNode(ejs, ejsPort);
      }
      const removed = nextEvent(server.events, 'peer:removed');
      theirs.disconnect(ejsReason);
      expect(await removed).toMatchObject({ reason, remoteRequested: true });
      expect(await ejs.removed.next(signal)).toMatchObject({
        reason: ejsReason,
        disconnectWe: true,
      });
      // A static node is redialed after it drops: stop that before teardown.
      if (node !== undefined) server.removePeer(node);
    });
  });

  describe('refusals', () => {
    it('a full server refuses an ethereumjs dial with TooManyPeers', async () => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server, port } = await startServer({ maxPeers: 1, noDial: true });
      const first = ejsNodeFor();
      const { peer } = await ejsDials(first, server, port, signal);
      const second = ejsNodeFor();
      const failed = nextEvent(server.events, 'connection:failed');
      await second.dial(server, port, signal);
      expect(await failed).toMatchObject({
        id: nodeIdFromPublicKey(second.publicKey),
        inbound: true,
        reason: DiscReason.TooManyPeers,
        remoteRequested: false,
      });
      // The refusal comes before Hello, and ethereumjs reports no peer it never had Hello from
      // (no peer:added, no peer:removed): our side is all there is to check.
      expect(second.added.size).toBe(0);
      expect(server.peers()).toEqual([peer]);
      expect(peer.end).toBeNull();
    });

    it('a full ethereumjs node refuses our dial with TooManyPeers once Hello is done', async () => {
      const signal = AbortSignal.timeout(WAIT_MS);
      const { server } = await startServer();
      const ejs = ejsNodeFor({ maxPeers: 0 });
      const ejsPort = await ejs.listen(signal);
      // ethereumjs completes Hello before it refuses, so the peer is added and then dropped.
      const added = nextEvent(server.events, 'peer:added');
      const removed = nextEvent(server.events, 'peer:removed');
      const node = ejsNode(ejs, ejsPort);
      server.addPeer(node);
      const { peer } = await added;
      expect(await removed).toMatchObject({
        peer,
        reason: DiscReason.TooManyPeers,
        remoteRequested: true,
      });
      server.removePeer(node);
      expect(server.peerCount()).toBe(0);
      expect(ejs.added.size).toBe(0);
    });

    it.each(['in', 'out'] as const)(
      'a %sbound ethereumjs node with only snap/1 is refused as UselessPeer',
      async (direction) => {
        const signal = AbortSignal.timeout(WAIT_MS);
        const { server, port } = await startServer();
        const ejs = ejsNodeFor({ capabilities: [SNAP.snap] });
        const failed = nextEvent(server.events, 'connection:failed');
        if (direction === 'in') {
          await ejs.dial(server, port, signal);
        } else {
          const node = ejsNode(ejs, await ejs.listen(signal));
          server.addPeer(node);
          teardown.push(() => server.removePeer(node));
        }
        // Both sides find no shared capability after Hello and both send UselessPeer, so
        // either Disconnect may arrive first; ethereumjs reports neither (it had no peer yet).
        expect(await failed).toMatchObject({
          inbound: direction === 'in',
          reason: DiscReason.UselessPeer,
        });
        expect(server.peerCount()).toBe(0);
        expect(ejs.added.size).toBe(0);
      },
    );
  });
});
