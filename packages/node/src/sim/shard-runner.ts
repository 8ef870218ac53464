/**
 * The window loop of one shard worker. Every shard runs the same windows: a window starts at the
 * earliest pending event of any shard (or where the last ended, to start lookups) and is never
 * longer than the link latency, so what a shard sends in it arrives after it ends. After each
 * window a shard sends every other shard, directly, the datagrams for it and its next event, and
 * waits for the same from each; from those every shard computes the same next window, and hands
 * the datagrams it got to its network at the start of that window.
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { SimulatedClock } from '@ethp2p/base';
import { driveBefore } from './driver.ts';
import type { LookupDone, PeerMessage, RanMessage, RunMessage } from './shard-protocol.ts';
import type { ShardWorld } from './shard-world.ts';

/** Runs the windows of one shard; owned by its worker thread. */
export class ShardRunner {
  readonly #world: ShardWorld;
  readonly #clock: SimulatedClock;
  readonly #peers: readonly (MessagePort | null)[];
  readonly #windowMs: number;
  /** By shard: what it sent and this shard has not used yet. */
  readonly #received: PeerMessage[][];
  #wake: (() => void) | undefined;
  /** Every event before this time has run, on every shard. */
  #doneTo: number;
  /** The earliest pending event of any shard, datagrams in flight included. */
  #nextMs: number;
  /** Datagrams for this shard, handed to its network at the next window's start. */
  #inbound: ArrayBuffer[] = [];
  #lookupSignal = new AbortController();
  readonly #ended: LookupDone[] = [];
  #instants = 0;
  #windows = 0;
  #closing = false;

  constructor(world: ShardWorld, peers: readonly (MessagePort | null)[], windowMs: number) {
    this.#world = world;
    this.#clock = world.clock;
    this.#peers = peers;
    this.#windowMs = windowMs;
    this.#doneTo = world.clock.now();
    this.#nextMs = this.#doneTo;
    this.#received = peers.map(() => []);
    for (const [shard, peer] of peers.entries()) {
      peer?.on('message', (m: PeerMessage) => {
        this.#received[shard]?.push(m);
        this.#wake?.();
      });
    }
  }

  /**
   * Runs windows until every event before `m.untilMs` has run (or the runner closes) and returns
   * the counters, or `undefined` when closed meanwhile.
   * @throws {RangeError} when a datagram arrives before its window (a broken invariant)
   */
  async run(m: RunMessage, onLookupError: (err: unknown) => void): Promise<RanMessage | undefined> {
    for (let first = true; !this.#closing; first = false) {
      const now = first && m.startNow;
      const startMs = now ? this.#doneTo : Math.max(this.#doneTo, this.#nextMs);
      if (startMs >= m.untilMs) {
        this.#doneTo = Math.max(this.#doneTo, m.untilMs);
        break;
      }
      const endMs = Math.min(startMs + this.#windowMs, m.untilMs);
      this.#world.inject(this.#inbound, startMs);
      this.#inbound = [];
      if (now) this.#startLookups(m, startMs, onLookupError);
      this.#instants += await driveBefore(this.#clock, endMs, () => this.#closing);
      if (this.#closing || !(await this.#exchange())) break;
      this.#doneTo = endMs;
      this.#windows++;
    }
    if (this.#closing) return undefined;
    return {
      kind: 'ran',
      counters: this.#world.counters(this.#instants),
      windows: this.#windows,
      lookups: this.#ended.splice(0),
    };
  }

  /** Stops the window loop (also while it waits for the other shards) and the lookups. */
  close(): void {
    this.#closing = true;
    this.#lookupSignal.abort(new Error('simulation closed'));
    this.#wake?.();
    for (const peer of this.#peers) peer?.close();
  }

  #startLookups(m: RunMessage, atMs: number, onError: (err: unknown) => void): void {
    if (m.abortLookups) {
      this.#lookupSignal.abort(new Error('lookup took too long'));
      this.#lookupSignal = new AbortController();
    }
    if (m.lookups.length === 0) return;
    this.#clock.advance(Math.max(0, atMs - this.#clock.now()));
    for (const request of m.lookups) {
      this.#world.lookup(request, this.#lookupSignal.signal).then((done) => {
        this.#ended.push(done);
      }, onError);
    }
  }

  /**
   * Sends every other shard its datagrams and this shard's next event, waits for theirs, and
   * computes the next event of all shards. Returns false when closed while waiting.
   */
  async #exchange(): Promise<boolean> {
    const { batches, minArrivalMs } = this.#world.takeOutbound();
    const nextAtMs = this.#clock.nextAt() ?? Number.POSITIVE_INFINITY;
    for (const [shard, peer] of this.#peers.entries()) {
      const batch = batches[shard] ?? null;
      peer?.postMessage(
        { batch, nextAtMs, minArrivalMs } satisfies PeerMessage,
        batch === null ? [] : [batch],
      );
    }
    while (this.#received.some((q, shard) => this.#peers[shard] && q.length === 0)) {
      if (this.#closing) return false;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    let next = Math.min(nextAtMs, ...minArrivalMs);
    for (const [shard, peer] of this.#peers.entries()) {
      if (peer === null) continue;
      const m = this.#received[shard]?.shift() as PeerMessage;
      next = Math.min(next, m.nextAtMs, ...m.minArrivalMs);
      if (m.batch !== null) this.#inbound.push(m.batch);
    }
    this.#nextMs = next;
    return true;
  }
}
