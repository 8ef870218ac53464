/**
 * What a simulation run is told: how many nodes, for how long in virtual time, how they find each
 * other and how the network behaves, and how often to measure.
 * @module
 */
import { availableParallelism } from 'node:os';
import { checkPositiveInt } from '@ethp2p/base';
import type { DiscoveryConfig } from '@ethp2p/discovery';

/**
 * How a joining node learns its first nodes: `one` (every node knows the first node, a single
 * bootnode), or `random` (each node knows `count` nodes picked at random among those that joined
 * before it).
 */
export type Bootstrap =
  | { readonly kind: 'one' }
  | { readonly kind: 'random'; readonly count: number };

/** Options of a simulation run. */
export interface SimOptions {
  /** Nodes in the network. */
  readonly nodes: number;
  /** Virtual time simulated. */
  readonly durationMs: number;
  /** Seeds keys, targets, join order and loss: one seed, one run. */
  readonly seed: number;
  readonly bootstrap: Bootstrap;
  /** Nodes join one after another over this virtual window from time 0. */
  readonly joinMs: number;
  /** One-way delay of every datagram (0, with no jitter: delivered at once, in a microtask). */
  readonly latencyMs: number;
  /** Extra delay per datagram, uniform in [0, jitterMs). */
  readonly jitterMs: number;
  /** Share of datagrams lost, in [0, 1). */
  readonly loss: number;
  /** Virtual time between two samples of the tables (the chart's points). */
  readonly sampleEveryMs: number;
  /** Times (in virtual time) at which lookup recall is measured; ascending. */
  readonly recallAtMs: readonly number[];
  /** Lookups (random targets from random nodes) per recall measurement. */
  readonly lookups: number;
  /**
   * Worker threads the nodes are spread over: 1 runs everything on this thread; W ≥ 2 puts
   * node i on worker i mod W, advanced in lockstep windows of `latencyMs` (then at least 1).
   */
  readonly workers: number;
  /** Overrides of the discv4 settings of every node. */
  readonly config?: Partial<DiscoveryConfig>;
}

/** The options with their defaults: 1,000 nodes for 120 virtual seconds. */
export const DEFAULT_SIM_OPTIONS: SimOptions = Object.freeze({
  nodes: 1000,
  durationMs: 120_000,
  seed: 1,
  bootstrap: Object.freeze({ kind: 'random', count: 3 }),
  joinMs: 10_000,
  latencyMs: 10,
  jitterMs: 0,
  loss: 0,
  sampleEveryMs: 5_000,
  recallAtMs: Object.freeze([30_000, 60_000, 120_000]),
  lookups: 20,
  workers: 1,
});

/**
 * Parses `one` or `random:K` (K ≥ 1).
 * @throws {RangeError} on anything else
 */
export function parseBootstrap(text: string): Bootstrap {
  if (text === 'one') return { kind: 'one' };
  const match = /^random:(\d+)$/.exec(text);
  const count = match === null ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`bootstrap: expected 'one' or 'random:K' with K >= 1, got '${text}'`);
  }
  return { kind: 'random', count };
}

/** The most worker threads a run may use. */
export const MAX_SIM_WORKERS = 64;

/**
 * Parses a worker count: an integer in [1, {@link MAX_SIM_WORKERS}], or `auto` for one per core
 * (`os.availableParallelism()`, so 1, a run on this thread, on a single core).
 * @throws {RangeError} on anything else
 */
export function parseWorkers(text: string): number {
  if (text === 'auto') return Math.min(MAX_SIM_WORKERS, availableParallelism());
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_SIM_WORKERS)) {
    throw new RangeError(
      `workers: expected 'auto' or an integer in [1, ${MAX_SIM_WORKERS}], got '${text}'`,
    );
  }
  return n;
}

/**
 * The options checked: counts positive, durations non-negative, loss in [0, 1), recall times
 * ascending within the run, a latency of at least 1 ms with workers.
 * @throws {RangeError} naming the first bad option
 */
export function checkSimOptions(o: SimOptions): SimOptions {
  checkPositiveInt('nodes', o.nodes);
  checkPositiveInt('durationMs', o.durationMs);
  checkPositiveInt('sampleEveryMs', o.sampleEveryMs);
  checkPositiveInt('lookups', o.lookups);
  checkPositiveInt('workers', o.workers);
  if (o.workers > MAX_SIM_WORKERS) {
    throw new RangeError(`workers: expected at most ${MAX_SIM_WORKERS}, got ${o.workers}`);
  }
  for (const [name, v] of [
    ['joinMs', o.joinMs],
    ['latencyMs', o.latencyMs],
    ['jitterMs', o.jitterMs],
    ['seed', o.seed],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`${name}: expected a non-negative integer, got ${v}`);
    }
  }
  if (!(o.loss >= 0 && o.loss < 1)) throw new RangeError(`loss: expected [0, 1), got ${o.loss}`);
  if (o.workers > 1 && o.latencyMs < 1) {
    throw new RangeError(
      `latencyMs: expected at least 1 ms with workers (datagrams between workers travel in ` +
        `windows of the latency), got ${o.latencyMs}`,
    );
  }
  let last = 0;
  for (const at of o.recallAtMs) {
    if (!Number.isSafeInteger(at) || at <= last || at > o.durationMs) {
      throw new RangeError(
        `recallAtMs: expected ascending times in (0, ${o.durationMs}], got ${o.recallAtMs.join(',')}`,
      );
    }
    last = at;
  }
  return o;
}
