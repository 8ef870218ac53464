/**
 * `pnpm soak`: one node in its own process serving the soak chain, `peers` peers in this process
 * with mixed eth traffic, churn and misbehaviour for `durationMs`; the node's memory sampled
 * every `sampleMs` (a full GC first), printed every `intervalMs`, and judged at the end.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { seededRandom } from '@ethp2p/base';
import { Node } from '@ethp2p/enode';
import { soakChain } from './chain.ts';
import { NodeProcess } from './node-process.ts';
import type { MemorySample } from './sample.ts';
import { runSwarm } from './swarm.ts';
import type { TrafficCounts } from './traffic.ts';
import { type MemoryVerdict, memoryVerdict, mib, type VerdictLimits } from './verdict.ts';

/** Options of {@link runSoak}. */
export interface SoakOptions extends VerdictLimits {
  /** Peer slots (default 20). */
  readonly peers: number;
  /** How long the peers run, in ms (default 2 minutes). */
  readonly durationMs: number;
  /** Between two printed lines, in ms (default 1 minute). */
  readonly intervalMs: number;
  /** Between two samples for the verdict, in ms (default 10 s). */
  readonly sampleMs: number;
  /** Blocks of the soak chain (default 128). */
  readonly blocks: number;
  /** Every n-th peer slot misbehaves (default 5; 0: none). */
  readonly misbehaveEvery: number;
  /** Shortest and longest well-behaved session, in ms (default 5–30 s). */
  readonly sessionMs: readonly [number, number];
  /** Longest pause between a slot's sessions, in ms (default 2 s). */
  readonly pauseMs: number;
  /** Between two actions of a well-behaved peer, in ms (default 100). */
  readonly actionIntervalMs: number;
  /** Seed of the peers' choices (default 1). */
  readonly seed: number;
  /** Where report lines go (default stdout). */
  readonly out: (line: string) => void;
}

/** The defaults, sized for a 2-core machine. */
export const SOAK_DEFAULTS: SoakOptions = {
  peers: 20,
  durationMs: 2 * 60_000,
  intervalMs: 60_000,
  sampleMs: 10_000,
  warmupMs: 30_000, // a quarter of the run
  maxGrowth: 1.5,
  maxSlopeMibPerMin: 2,
  minRiseMib: 4,
  blocks: 128,
  misbehaveEvery: 5,
  sessionMs: [5_000, 30_000],
  pauseMs: 2_000,
  actionIntervalMs: 100,
  seed: 1,
  out: (line) => console.log(line),
};

/** What a soak found. */
export interface SoakReport {
  readonly samples: readonly MemorySample[];
  readonly counts: TrafficCounts;
  readonly verdict: MemoryVerdict;
  /** True when memory stayed bounded and the peers did get answers. */
  readonly ok: boolean;
}

/** Runs a soak and prints its report. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { out } = options;
  const datadir = await mkdtemp(join(tmpdir(), 'ethp2p-soak-'));
  try {
    const node = await NodeProcess.start({
      datadir,
      blocks: options.blocks,
      maxPeers: options.peers * 2,
    });
    try {
      out(`soak: node pid ${node.pid} ${node.enode}`);
      out(
        `soak: ${options.peers} peers for ${seconds(options.durationMs)} s, samples every ${seconds(options.sampleMs)} s, warm-up ${seconds(options.warmupMs)} s`,
      );
      return await drive(node, options);
    } finally {
      await node.stop();
    }
  } finally {
    await rm(datadir, { recursive: true, force: true });
  }
}

async function drive(node: NodeProcess, options: SoakOptions): Promise<SoakReport> {
  const { out } = options;
  const stop = new AbortController();
  const started = performance.now();
  const swarm = runSwarm({
    ...options,
    node: Node.parse(node.enode),
    chain: await soakChain(options.blocks),
    random: seededRandom(options.seed),
    signal: stop.signal,
  });
  const samples: MemorySample[] = [];
  let printedAt = Number.NEGATIVE_INFINITY;
  try {
    for (;;) {
      const elapsed = performance.now() - started;
      const sample = await node.sample(Math.round(elapsed));
      samples.push(sample);
      if (elapsed - printedAt >= options.intervalMs || elapsed >= options.durationMs) {
        out(sampleLine(sample));
        printedAt = elapsed;
      }
      if (elapsed >= options.durationMs) break;
      const next = Math.min(options.sampleMs, options.durationMs - elapsed);
      await delay(Math.max(0, next));
    }
  } finally {
    stop.abort();
  }
  const counts = await swarm;
  const verdict = memoryVerdict(samples, options);
  const answered = counts.requests > 0;
  out(countsLine(counts));
  out(`soak: ${verdict.ok ? 'ok' : 'FAIL'}: ${verdict.reason}`);
  if (!answered) out('soak: FAIL: no request was answered');
  return { samples, counts, verdict, ok: verdict.ok && answered };
}

/** One printed line: time, RSS, heap, handles and peers of a sample. */
export function sampleLine(s: MemorySample): string {
  const total = Math.round(s.elapsedMs / 1000);
  const time = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  return `[${time.padStart(5)}] rss ${mib(s.rssBytes)} MiB  heap used ${mib(s.heapUsedBytes)} MiB (after gc ${mib(s.heapAfterGcBytes)})  handles ${s.activeHandles}  peers ${s.peers} (eth ${s.ethPeers})`;
}

function countsLine(c: TrafficCounts): string {
  return `soak: sessions ${c.sessions} (registered ${c.registered}, misbehaving ${c.misbehaving}, dropped by the node ${c.misbehavingDropped}), requests ${c.requests} answered / ${c.requestErrors} failed, txs announced ${c.txsAnnounced}, fetched back ${c.txsFetched}, block ranges ${c.blockRanges}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1);
}
