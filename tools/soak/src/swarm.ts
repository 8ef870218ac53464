/**
 * The soak's peers: `peers` slots, each connecting to the node over and over (churn). A slot's
 * session lasts a random time, ends with a clean disconnect, pauses and starts again, half the
 * time under a new identity. Every `misbehaveEvery`-th slot misbehaves instead, in turn each of
 * {@link MISBEHAVIOURS}.
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { childSignal, type Random } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { ChainReader } from '@ethp2p/eth';
import { withDeadline } from './deadline.ts';
import { badSession, goodSession, MISBEHAVIOURS, type SessionContext } from './sessions.ts';
import { emptyCounts, type TrafficCounts } from './traffic.ts';

/** Options of {@link runSwarm}. */
export interface SwarmOptions {
  /** The node under test. */
  readonly node: Node;
  /** The chain the node serves (the same soak chain). */
  readonly chain: ChainReader;
  /** Peer slots. */
  readonly peers: number;
  /** Every n-th slot misbehaves (0: none). */
  readonly misbehaveEvery: number;
  /** Shortest and longest well-behaved session, in ms. */
  readonly sessionMs: readonly [number, number];
  /** Pause between a slot's sessions, in ms (at most; drawn at random). */
  readonly pauseMs: number;
  /** Between two actions of a well-behaved peer, in ms. */
  readonly actionIntervalMs: number;
  readonly random: Random;
  /** Ends the swarm: every slot disconnects and stops. */
  readonly signal: AbortSignal;
}

/** Runs the peers until `signal` aborts; resolves with their counters once all have stopped. */
export async function runSwarm(options: SwarmOptions): Promise<TrafficCounts> {
  const counts = emptyCounts();
  const ctx: SessionContext = {
    node: options.node,
    chain: options.chain,
    random: options.random,
    counts,
    actionIntervalMs: options.actionIntervalMs,
  };
  const slots = Array.from({ length: options.peers }, (_, i) => runSlot(i, ctx, options));
  await Promise.all(slots);
  return counts;
}

/** Session tags, so every session's transactions differ from all others'. */
let nextTag = 0;

async function runSlot(index: number, ctx: SessionContext, options: SwarmOptions): Promise<void> {
  // One listener on the swarm's signal per slot, whatever the slot waits on.
  const slot = childSignal(options.signal);
  try {
    await slotLoop(index, ctx, options, slot.signal);
  } finally {
    slot.release();
  }
}

async function slotLoop(
  index: number,
  ctx: SessionContext,
  options: SwarmOptions,
  signal: AbortSignal,
): Promise<void> {
  const { random } = options;
  const misbehaves = options.misbehaveEvery > 0 && index % options.misbehaveEvery === 0;
  const pause = (): Promise<void> =>
    delay(random.intn(options.pauseMs + 1), undefined, { signal }).catch(() => undefined);
  // Staggered starts: the node admits a few pending handshakes per IP at a time.
  await pause();
  let key = generatePrivateKey();
  for (let round = 0; !signal.aborted; round++) {
    ctx.counts.sessions++;
    try {
      if (misbehaves) {
        // Not cut short by a lifetime: the node must end it (or the setup timeout does).
        const how = MISBEHAVIOURS[round % MISBEHAVIOURS.length] ?? 'tcp-garbage';
        await badSession(ctx, key, how, signal);
      } else {
        const [min, max] = options.sessionMs;
        const tag = nextTag++;
        await withDeadline(signal, min + random.intn(max - min + 1), (end) =>
          goodSession(ctx, key, tag, end),
        );
      }
    } catch {
      // A session that could not connect or register: the slot tries again after its pause.
    }
    if (random.intn(2) === 0) key = generatePrivateKey();
    await pause();
  }
}
