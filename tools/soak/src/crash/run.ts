/**
 * `pnpm soak --crash`: the database crash loop, then the node crash loop, each in a temporary
 * directory removed afterwards, with a summary and a verdict.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@ethp2p/base';
import { type DbLoopResult, runDbCrashLoop } from './db-loop.ts';
import { type NodeLoopResult, runNodeCrashLoop } from './node-loop.ts';

/** Options of {@link runCrash}. */
export interface CrashOptions {
  /** Kills of the database writer (default 20; the issue's long run is 100). */
  readonly iterations: number;
  /** Kills of a full `ethp2p node` (default 3; 0 skips that loop). */
  readonly nodeKills: number;
  /** The writer is killed 0 to this many ms after it loaded its key (default 1500). */
  readonly maxKillDelayMs: number;
  /** The node is killed 200 ms to this many ms after it started (default 2000). */
  readonly maxNodeKillDelayMs: number;
  /** Seed of the kill times (default 1). */
  readonly seed: number;
  readonly out: (line: string) => void;
}

/** The defaults. */
export const CRASH_DEFAULTS: CrashOptions = {
  iterations: 20,
  nodeKills: 3,
  maxKillDelayMs: 1_500,
  maxNodeKillDelayMs: 2_000,
  seed: 1,
  out: (line) => console.log(line),
};

/** What the crash loops found. */
export interface CrashReport {
  readonly db: DbLoopResult;
  readonly node: NodeLoopResult | undefined;
  /** True when neither loop found a problem. */
  readonly ok: boolean;
}

/** Runs both loops and prints their summary. */
export async function runCrash(options: CrashOptions): Promise<CrashReport> {
  const { out } = options;
  const random = seededRandom(options.seed);
  const db = await inTempDir('ethp2p-crash-db-', (datadir) =>
    runDbCrashLoop({
      datadir,
      iterations: options.iterations,
      maxKillDelayMs: options.maxKillDelayMs,
      random,
      out,
    }),
  );
  out(
    `crash db: ${db.iterations} kills, ${db.batches} batches committed (${db.batches * 4} records), ${db.recordsVerified} batch reads intact, key verified ${db.keysVerified} times, ${db.killedBeforeOpen} kills before the database was open, ${db.leftoverKeyTemps} temporary key files left by kills`,
  );
  const node =
    options.nodeKills === 0
      ? undefined
      : await inTempDir('ethp2p-crash-node-', (dir) =>
          runNodeCrashLoop({
            dir,
            kills: options.nodeKills,
            maxKillDelayMs: options.maxNodeKillDelayMs,
            random,
            out,
          }),
        );
  if (node !== undefined) {
    out(
      `crash node: ${node.kills} kills, node ID kept on ${node.keysVerified} restarts, ${node.staleLocks} stale LOCKs taken over, ${node.pongs} discovery pings answered`,
    );
  }
  const problems = [...db.problems, ...(node?.problems ?? [])];
  for (const p of problems) out(`crash: PROBLEM: ${p}`);
  out(`crash: ${problems.length === 0 ? 'ok' : `FAIL (${problems.length} problems)`}`);
  return { db, node, ok: problems.length === 0 };
}

async function inTempDir<T>(prefix: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
