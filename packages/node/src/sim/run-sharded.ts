/**
 * A simulation run on worker threads: the nodes are dealt over `options.workers` shards (see
 * `shard-world.ts`), which run in conservative lockstep windows among themselves (see
 * `shard-runner.ts`); this thread tells them how far to run (a virtual second at a time, a window
 * at a time while recall lookups run), samples their tables at the checkpoints, and measures
 * recall. The measurements are those of a run on one thread.
 * @module
 */
import { type Random, seededRandom } from '@ethp2p/base';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { RunMeter, recallSample, tableSample } from './measure.ts';
import type { SimOptions } from './options.ts';
import { closestIds, RECALL_K, recallOf } from './recall.ts';
import {
  checkpoints,
  LOOKUP_LIMIT_MS,
  type RecallSample,
  SIM_START_MS,
  type SimHooks,
  type SimResult,
  type TableSample,
} from './run.ts';
import type { LookupDone, LookupRequest, ShardCounters } from './shard-protocol.ts';
import { shardOf } from './shard-seeds.ts';
import { type RunExtras, ShardSet } from './shards.ts';
import { joinAt } from './world.ts';

/**
 * Virtual time per run between two checkpoints: how often progress is reported and an abort
 * noticed (the shards run their windows on their own in between).
 */
const RUN_CHUNK_MS = 1000;

/** Tells the shards how far to run, and keeps what they report. */
class Lockstep {
  readonly #shards: ShardSet;
  readonly #windowMs: number;
  /** Every event before this time has run, on every shard. */
  doneTo = SIM_START_MS;
  #extras: RunExtras | undefined;
  windows = 0;
  counters: ShardCounters[] = [];
  /** Lookups that ended and were not collected yet. */
  readonly ended: LookupDone[] = [];

  constructor(shards: ShardSet, windowMs: number) {
    this.#shards = shards;
    this.#windowMs = windowMs;
  }

  /** Adds lookups to start, or the abort of those running, to the next run. */
  queue(extras: RunExtras): void {
    this.#extras = extras;
  }

  /**
   * Runs until every event before `untilMs` has run, or `stop()` holds: checked every
   * `checkEveryMs` of virtual time (at least one window).
   */
  async runTo(
    untilMs: number,
    stop: () => boolean,
    onRun: () => Promise<void>,
    checkEveryMs = RUN_CHUNK_MS,
  ): Promise<void> {
    while (!stop() && this.doneTo < untilMs) {
      const extras = this.#extras;
      this.#extras = undefined;
      const to = Math.min(untilMs, this.doneTo + Math.max(checkEveryMs, this.#windowMs));
      const replies = await this.#shards.run(to, extras);
      this.doneTo = to;
      this.windows = replies[0]?.windows ?? this.windows;
      for (const reply of replies) this.ended.push(...reply.lookups);
      this.counters = replies.map((r) => r.counters);
      await onRun();
    }
  }

  /** The counters of all shards together. */
  total(): ShardCounters {
    const sum = { sent: 0, delivered: 0, dropped: 0, handlerErrors: 0, instants: 0 };
    for (const c of this.counters) {
      sum.sent += c.sent;
      sum.delivered += c.delivered;
      sum.dropped += c.dropped;
      sum.handlerErrors += c.handlerErrors;
      sum.instants += c.instants;
    }
    return sum;
  }
}

/**
 * Runs `options` (checked, `workers` ≥ 2) on worker threads.
 * @throws {SimError} `SHARD_FAILED` when a worker throws or exits, `WORKER_MISSING` when the
 *   worker script is not built
 */
export async function runSharded(options: SimOptions, hooks: SimHooks): Promise<SimResult> {
  const meter = new RunMeter(hooks, options.durationMs);
  const shards = await ShardSet.start(
    options,
    SIM_START_MS,
    hooks.workerUrl === undefined ? {} : { workerUrl: hooks.workerUrl },
  );
  const setupMs = meter.wallMs();
  const lockstep = new Lockstep(shards, options.latencyMs);
  const random = seededRandom(options.seed ^ 0x7a6e7);
  const samples: TableSample[] = [];
  const recall: RecallSample[] = [];
  const aborted = (): boolean => hooks.signal?.aborted === true;
  let utilization: number[] = [];
  const onWindow = async (): Promise<void> => {
    if (meter.due()) meter.report(await sampleShards(shards, lockstep));
  };
  try {
    for (const at of checkpoints(options)) {
      await lockstep.runTo(SIM_START_MS + at, aborted, onWindow);
      samples.push(await sampleShards(shards, lockstep));
      if (aborted()) break; // the sample above is where it stood when it was stopped
      if (options.recallAtMs.includes(at)) {
        const measured = await measureRecall(options, shards, lockstep, random, aborted, onWindow);
        if (measured !== undefined) recall.push(measured);
      }
      meter.peakRss();
    }
    utilization = shards.utilization();
  } finally {
    await shards.close();
  }
  const { instants, ...network } = lockstep.total();
  return {
    options,
    samples,
    recall,
    ...meter.costs(setupMs),
    network,
    instants,
    workers: options.workers,
    windows: lockstep.windows,
    utilization,
  };
}

async function sampleShards(shards: ShardSet, lockstep: Lockstep): Promise<TableSample> {
  let joined = 0;
  let fill = 0;
  let minFill = Number.POSITIVE_INFINITY;
  for (const s of await shards.sample()) {
    joined += s.joined;
    fill += s.fill;
    minFill = Math.min(minFill, s.minFill);
  }
  return tableSample(lockstep.doneTo - SIM_START_MS, joined, fill, minFill, lockstep.total().sent);
}

/**
 * Starts `options.lookups` lookups at once, each from a random started node (on the shard that
 * owns it) for a random target, and runs windows until all have ended; one still running after
 * `LOOKUP_LIMIT_MS` is abandoned (recall 0). The truth is computed here from every started ID.
 * Returns `undefined` when the run is aborted meanwhile.
 */
async function measureRecall(
  options: SimOptions,
  shards: ShardSet,
  lockstep: Lockstep,
  random: Random,
  aborted: () => boolean,
  onWindow: () => Promise<void>,
): Promise<RecallSample | undefined> {
  const nowMs = lockstep.doneTo;
  const joined: number[] = [];
  for (let i = 0; i < options.nodes; i++) {
    if (joinAt(options, SIM_START_MS, i) <= nowMs) joined.push(i);
  }
  const ids = joined.map((i) => shards.ids[i] as Uint8Array);
  const requests: LookupRequest[][] = Array.from({ length: shards.size }, () => []);
  const truths: Uint8Array[][] = [];
  for (let id = 0; id < options.lookups; id++) {
    const from = joined[random.intn(joined.length)] as number;
    const target = random.bytes(64);
    truths.push(closestIds(nodeIdFromPublicKey(target), ids, RECALL_K, shards.ids[from]));
    requests[shardOf(from, shards.size)]?.push({ id, from, target });
  }
  const outcomes = new Map<number, LookupDone>();
  const settled = (): boolean => {
    for (const done of lockstep.ended.splice(0)) outcomes.set(done.id, done);
    return outcomes.size === options.lookups || aborted();
  };
  // The lookups' end is checked after every window.
  lockstep.queue({ lookups: requests });
  await lockstep.runTo(nowMs + LOOKUP_LIMIT_MS, settled, onWindow, 0);
  if (!settled()) {
    lockstep.queue({ abortLookups: true });
    await lockstep.runTo(lockstep.doneTo + LOOKUP_LIMIT_MS, settled, onWindow, 0);
  }
  if (aborted()) return undefined;
  const measured = truths.map((truth, id) => {
    const done = outcomes.get(id);
    if (done === undefined || done.abandoned) {
      return { recall: 0, queries: 0, hops: 0, durationMs: done?.durationMs ?? LOOKUP_LIMIT_MS };
    }
    const found: Uint8Array[] = [];
    for (let at = 0; at < done.ids.length; at += 32) found.push(done.ids.subarray(at, at + 32));
    return {
      recall: recallOf(found, truth),
      queries: done.queried,
      hops: done.hops,
      durationMs: done.durationMs,
    };
  });
  return recallSample(nowMs - SIM_START_MS, measured);
}
