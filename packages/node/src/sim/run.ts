/**
 * One simulation run: build the world, drive virtual time from checkpoint to checkpoint, sample
 * the tables at each, measure lookup recall at the recall times, and account wall time, CPU and
 * memory. Deterministic in what it simulates for one seed (not in wall time).
 * @module
 */
import { type Random, SimulatedClock, seededRandom } from '@ethp2p/base';
import type { MemoryNetworkStats } from '@ethp2p/discovery';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { drive } from './driver.ts';
import { type LookupOutcome, RunMeter, recallSample, tableSample } from './measure.ts';
import { checkSimOptions, type SimOptions } from './options.ts';
import { closestIds, RECALL_K, recallOf } from './recall.ts';
import { runSharded } from './run-sharded.ts';
import type { ShardSetOptions } from './shards.ts';
import { type SimNode, SimWorld } from './world.ts';

/** Virtual start time: a realistic date (node stores keep whole seconds; 0 reads as "never"). */
export const SIM_START_MS = 1_700_000_000_000;

/** Virtual time a recall lookup may take before it is abandoned (and counted as found so far). */
export const LOOKUP_LIMIT_MS = 60_000;

/** Virtual time the nodes get to stop at the end. */
const STOP_LIMIT_MS = 60_000;

/** The tables at one instant. */
export interface TableSample {
  /** Virtual time since the start. */
  readonly atMs: number;
  /** Nodes started so far. */
  readonly joined: number;
  /** Mean table size over the started nodes. */
  readonly meanFill: number;
  /** Smallest table of a started node. */
  readonly minFill: number;
  /** Datagrams sent so far, all nodes together. */
  readonly datagrams: number;
}

/** One recall measurement: `lookups` lookups for random targets from random nodes. */
export interface RecallSample {
  /** Virtual time since the start when the lookups began. */
  readonly atMs: number;
  readonly lookups: number;
  /** Mean share of the true 16 closest started nodes in a lookup's result (its 16 closest). */
  readonly recall: number;
  /** The worst lookup's share. */
  readonly minRecall: number;
  /** Mean FindNode queries a lookup sent. */
  readonly queries: number;
  /** Mean length of a lookup's longest chain of queries (asking a table node is hop 1). */
  readonly hops: number;
  /** Mean virtual time a lookup took. */
  readonly durationMs: number;
}

/** Progress while it runs. */
export interface SimProgress {
  readonly virtualMs: number;
  readonly durationMs: number;
  readonly joined: number;
  readonly meanFill: number;
  readonly datagrams: number;
  readonly wallMs: number;
  readonly rssBytes: number;
}

/** What a run measured. */
export interface SimResult {
  readonly options: SimOptions;
  readonly samples: readonly TableSample[];
  readonly recall: readonly RecallSample[];
  /** Wall time of building the nodes (keys, records, stores). */
  readonly setupMs: number;
  /** Wall time of the whole run, setup and stop included. */
  readonly wallMs: number;
  /** CPU time of the process (user + system) over the run. */
  readonly cpuMs: number;
  /** The largest resident set seen. */
  readonly peakRssBytes: number;
  readonly network: MemoryNetworkStats;
  /** Virtual instants stepped through (summed over the shards with workers). */
  readonly instants: number;
  /** Worker threads the nodes ran on (1: this thread). */
  readonly workers: number;
  /** Lockstep windows run, with workers (0 without). */
  readonly windows: number;
  /**
   * Per worker, the share of its time it was running rather than waiting for the next window
   * (its event-loop utilization); empty without workers.
   */
  readonly utilization: readonly number[];
}

/** Hooks of {@link runSimulation}. */
export interface SimHooks extends ShardSetOptions {
  /** Called every `progressEveryMs` of wall time. */
  readonly onProgress?: (p: SimProgress) => void;
  readonly progressEveryMs?: number;
  /** Ends the run early (after the current instant); what was measured is reported. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the simulation `options` describe: on this thread, or with `options.workers` ≥ 2 on that
 * many worker threads in lockstep (see `run-sharded.ts`).
 * @throws {RangeError} on bad options; {SimError} `SHARD_FAILED` when a worker throws or exits
 */
export async function runSimulation(options: SimOptions, hooks: SimHooks = {}): Promise<SimResult> {
  checkSimOptions(options);
  if (options.workers > 1) return runSharded(options, hooks);
  const meter = new RunMeter(hooks, options.durationMs);
  const clock = new SimulatedClock(SIM_START_MS);
  const world = await SimWorld.create(options, clock);
  const setupMs = meter.wallMs();
  const random = seededRandom(options.seed ^ 0x7a6e7);
  const samples: TableSample[] = [];
  const recall: RecallSample[] = [];
  let instants = 0;
  const aborted = (): boolean => hooks.signal?.aborted === true;
  const onTurn = (): void => {
    instants++;
    if (meter.due()) meter.report(sampleTables(world));
  };
  try {
    for (const at of checkpoints(options)) {
      await drive(clock, SIM_START_MS + at, aborted, onTurn);
      if (aborted()) {
        samples.push(sampleTables(world)); // where it stood when it was stopped
        break;
      }
      samples.push(sampleTables(world));
      if (options.recallAtMs.includes(at)) {
        recall.push(await measureRecall(world, random, options.lookups, onTurn));
      }
      meter.peakRss();
    }
  } finally {
    let closed = false;
    const closing = world.close().finally(() => {
      closed = true;
    });
    await drive(clock, clock.now() + STOP_LIMIT_MS, () => closed);
    await closing;
  }
  return {
    options,
    samples,
    recall,
    ...meter.costs(setupMs),
    network: world.network.stats,
    instants,
    workers: 1,
    windows: 0,
    utilization: [],
  };
}

/** The virtual times to stop at: every sample time and every recall time, ascending. */
export function checkpoints(options: SimOptions): number[] {
  const times = new Set<number>(options.recallAtMs);
  for (let at = options.sampleEveryMs; at < options.durationMs; at += options.sampleEveryMs) {
    times.add(at);
  }
  times.add(options.durationMs);
  return [...times].sort((a, b) => a - b);
}

function sampleTables(world: SimWorld): TableSample {
  const joined = world.joined();
  let total = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const node of joined) {
    const size = node.service.nodes().length;
    total += size;
    min = Math.min(min, size);
  }
  const atMs = world.clock.now() - SIM_START_MS;
  return tableSample(atMs, joined.length, total, min, world.network.stats.sent);
}

/**
 * Starts `count` lookups at once, each from a random started node for a random target, and drives
 * the clock until all have ended.
 */
async function measureRecall(
  world: SimWorld,
  random: Random,
  count: number,
  onTurn: () => void,
): Promise<RecallSample> {
  const clock = world.clock;
  const atMs = clock.now() - SIM_START_MS;
  const joined = world.joined();
  const ids = joined.map((n) => n.id);
  const controller = new AbortController();
  const runs: Promise<LookupOutcome>[] = [];
  for (let i = 0; i < count; i++) {
    const from = joined[random.intn(joined.length)] as SimNode;
    const target = random.bytes(64);
    const truth = closestIds(nodeIdFromPublicKey(target), ids, RECALL_K, from.id);
    runs.push(oneLookup(world, from, target, truth, controller.signal));
  }
  let settled = false;
  const all = Promise.all(runs).finally(() => {
    settled = true;
  });
  await drive(clock, clock.now() + LOOKUP_LIMIT_MS, () => settled, onTurn);
  controller.abort(new Error('lookup took too long'));
  await drive(clock, clock.now() + LOOKUP_LIMIT_MS, () => settled, onTurn);
  return recallSample(atMs, await all);
}

async function oneLookup(
  world: SimWorld,
  from: SimNode,
  target: Uint8Array,
  truth: readonly Uint8Array[],
  signal: AbortSignal,
): Promise<LookupOutcome> {
  const started = world.clock.now();
  try {
    const stats = await from.service.lookupClosest(target, { signal });
    return {
      recall: recallOf(
        stats.result.map((n) => n.id),
        truth,
      ),
      queries: stats.queried,
      hops: stats.hops,
      durationMs: stats.endedAtMs - stats.startedAtMs,
    };
  } catch (err) {
    if (!signal.aborted) throw err;
    // Abandoned after LOOKUP_LIMIT_MS: counted as finding nothing.
    return { recall: 0, queries: 0, hops: 0, durationMs: world.clock.now() - started };
  }
}
