/**
 * One connection of a soak peer to the node, start to end: a well-behaved eth session with
 * traffic, or a misbehaving one the node must drop (a Status for another network, garbage
 * instead of Status, garbage bytes instead of the RLPx handshake).
 * @module
 */
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Random } from '@ethp2p/base';
import { MemoryTxPool } from '@ethp2p/chain';
import type { Node } from '@ethp2p/enode';
import { type ChainReader, createEthProtocols, type EthPeer, PeerSet } from '@ethp2p/eth';
import { ETH69 } from '@ethp2p/eth/messages';
import { type Protocol, Server } from '@ethp2p/server';
import { withDeadline } from './deadline.ts';
import { type TrafficCounts, trafficStep } from './traffic.ts';

/** How long a peer waits for the node to register it or to drop it, in ms. */
const SESSION_SETUP_TIMEOUT_MS = 10_000;
/** Transactions a peer's own pool keeps (it fetches what the node relays). */
const PEER_POOL_TXS = 256;
/** Network ID of the misbehaving "wrong network" peers (mainnet's, not the soak chain's). */
const WRONG_NETWORK_ID = 1n;
/** Bytes of garbage a "tcp-garbage" session sends instead of an RLPx auth message. */
const GARBAGE_BYTES = 400;

/** The ways a misbehaving session misbehaves. */
export const MISBEHAVIOURS = ['wrong-network', 'garbage-status', 'tcp-garbage'] as const;
/** One of {@link MISBEHAVIOURS}. */
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

/** What every session needs. */
export interface SessionContext {
  readonly node: Node;
  readonly chain: ChainReader;
  readonly random: Random;
  readonly counts: TrafficCounts;
  /** Between two actions of a well-behaved peer, in ms. */
  readonly actionIntervalMs: number;
}

/**
 * A well-behaved session: connects with `key`, waits for Status, runs traffic until `end`
 * aborts or the node drops it, then disconnects.
 */
export async function goodSession(
  ctx: SessionContext,
  key: Uint8Array,
  tag: number,
  end: AbortSignal,
): Promise<void> {
  const peerSet = new PeerSet();
  const txPool = new MemoryTxPool({ maxTxs: PEER_POOL_TXS });
  const protocols = createEthProtocols({ backend: { chain: ctx.chain, txPool }, peerSet });
  const server = await startPeer(key, protocols);
  try {
    const registered = nextEvent<EthPeer>((resolve) =>
      peerSet.events.once('peer:registered', ({ peer }) => resolve(peer)),
    );
    server.addPeer(ctx.node);
    const peer = await withDeadline(end, SESSION_SETUP_TIMEOUT_MS, registered);
    ctx.counts.registered++;
    const step = {
      peer,
      peerSet,
      txPool,
      chain: ctx.chain,
      random: ctx.random,
      counts: ctx.counts,
      tag,
      nonce: 0,
    };
    while (!end.aborted && !peer.closed) {
      await trafficStep(step);
      await delay(ctx.actionIntervalMs, undefined, { signal: end }).catch(() => undefined);
    }
  } finally {
    await server.stop();
  }
}

/** A misbehaving session of kind `how`; resolves once the node dropped it (counted) or `end`. */
export async function badSession(
  ctx: SessionContext,
  key: Uint8Array,
  how: Misbehaviour,
  end: AbortSignal,
): Promise<void> {
  ctx.counts.misbehaving++;
  const dropped = await withDeadline(end, SESSION_SETUP_TIMEOUT_MS, (within) =>
    how === 'tcp-garbage'
      ? garbageBeforeHandshake(ctx, within)
      : misbehavingPeer(ctx, key, how, within),
  );
  if (dropped) ctx.counts.misbehavingDropped++;
}

/** A peer whose eth is wrong; true once the node ended the connection. */
async function misbehavingPeer(
  ctx: SessionContext,
  key: Uint8Array,
  how: 'wrong-network' | 'garbage-status',
  within: AbortSignal,
): Promise<boolean> {
  const protocols =
    how === 'wrong-network'
      ? createEthProtocols({
          backend: { chain: ctx.chain, txPool: new MemoryTxPool({ maxTxs: 1 }) },
          peerSet: new PeerSet(),
          networkId: WRONG_NETWORK_ID,
        })
      : [garbageStatusProtocol(ctx.random)];
  const server = await startPeer(key, protocols);
  try {
    const removed = nextEvent<boolean>((resolve) => {
      server.events.once('peer:removed', () => resolve(true));
      server.events.once('connection:failed', () => resolve(true));
      // Refused before the handshake (all pending slots of 127.0.0.1 taken) counts as dropped.
      server.events.once('dial:failed', () => resolve(true));
    });
    server.addPeer(ctx.node);
    return await removed(within).catch(() => false);
  } finally {
    await server.stop();
  }
}

/** eth/69 whose first message is random bytes under the Status code. */
function garbageStatusProtocol(random: Random): Protocol {
  return {
    name: 'eth',
    version: ETH69.version,
    length: ETH69.length,
    async run(_peer, rw, { signal }) {
      await rw.writeMsg(0, random.bytes(1 + random.intn(64)));
      while (!signal.aborted) await rw.readMsg();
    },
  };
}

/** Random bytes where the RLPx auth message belongs; true once the node closed the socket. */
function garbageBeforeHandshake(ctx: SessionContext, within: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ctx.node.ip ?? '127.0.0.1', port: ctx.node.tcp ?? 0 });
    const finish = (dropped: boolean): void => {
      within.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(dropped);
    };
    const onAbort = (): void => finish(false);
    within.addEventListener('abort', onAbort, { once: true });
    socket.on('error', () => undefined);
    socket.once('close', () => finish(true));
    socket.once('connect', () => socket.write(ctx.random.bytes(GARBAGE_BYTES)));
  });
}

/** A peer that only dials: no listener, one peer at most. */
async function startPeer(key: Uint8Array, protocols: readonly Protocol[]): Promise<Server> {
  const server = new Server({
    privateKey: key,
    name: 'ethp2p-soak-peer',
    listenAddress: null,
    maxPeers: 1,
    protocols,
  });
  await server.start();
  return server;
}

/**
 * A one-shot wait: `subscribe` registers listeners that call `resolve`; the returned function
 * waits for the first of them, rejecting with the signal's reason if it aborts first.
 */
function nextEvent<T>(
  subscribe: (resolve: (value: T) => void) => void,
): (signal: AbortSignal) => Promise<T> {
  let settle: ((value: T) => void) | undefined;
  let early: { value: T } | undefined;
  subscribe((value) => {
    if (settle === undefined) early ??= { value };
    else settle(value);
  });
  return (signal) =>
    new Promise<T>((resolve, reject) => {
      if (early !== undefined) return resolve(early.value);
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      settle = (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
    });
}
