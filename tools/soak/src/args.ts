/**
 * The flags of `pnpm soak`.
 * @module
 */
import { parseArgs } from 'node:util';
import { CRASH_DEFAULTS, type CrashOptions } from './crash/run.ts';
import { SOAK_DEFAULTS, type SoakOptions } from './soak.ts';

/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: 'help' }
  | { readonly kind: 'soak'; readonly options: SoakOptions }
  | { readonly kind: 'crash'; readonly options: CrashOptions };

/** The usage text. */
export function usage(): string {
  const d = SOAK_DEFAULTS;
  const c = CRASH_DEFAULTS;
  return `usage: pnpm soak [flags]            memory soak of one node under peer churn
       pnpm soak --crash [flags]    kill -9 crash-safety loops of the node database

soak flags:
  --peers N          peer slots (default ${d.peers})
  --minutes M        duration, fractions allowed (default ${d.durationMs / 60_000})
  --interval S       seconds between printed samples (default ${d.intervalMs / 1000})
  --sample S         seconds between samples judged (default ${d.sampleMs / 1000})
  --warmup S         seconds not judged at the start (default a quarter of the run)
  --max-growth K     fail if the last heap after GC > K x the first judged (default ${d.maxGrowth})
  --max-slope MIB    fail if the second half rises faster, MiB/min (default ${d.maxSlopeMibPerMin})
  --min-rise MIB     ... and by more than this in all (default ${d.minRiseMib})
  --misbehave-every N  every N-th peer misbehaves, 0 for none (default ${d.misbehaveEvery})
  --seed N           seed of the peers' choices (default ${d.seed})

crash flags:
  --iterations N     kill -9 rounds of the database writer (default ${c.iterations})
  --node-kills N     kill -9 rounds of a full ethp2p node (default ${c.nodeKills})
  --seed N           seed of the kill times (default ${c.seed})`;
}

/** Parses `argv` (without the node and script paths). @throws {Error} on a bad flag */
export function parseCliArgs(argv: readonly string[]): CliRequest {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      crash: { type: 'boolean' },
      peers: { type: 'string' },
      minutes: { type: 'string' },
      interval: { type: 'string' },
      sample: { type: 'string' },
      warmup: { type: 'string' },
      'max-growth': { type: 'string' },
      'max-slope': { type: 'string' },
      'min-rise': { type: 'string' },
      'misbehave-every': { type: 'string' },
      seed: { type: 'string' },
      iterations: { type: 'string' },
      'node-kills': { type: 'string' },
    },
  });
  if (values.help === true) return { kind: 'help' };
  const num = (name: keyof typeof values, fallback: number, integer = false): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const n = Number(text);
    if (
      typeof text !== 'string' ||
      !Number.isFinite(n) ||
      n < 0 ||
      (integer && !Number.isInteger(n))
    ) {
      throw new Error(
        `--${name}: expected a non-negative ${integer ? 'integer' : 'number'}, got ${String(text)}`,
      );
    }
    return n;
  };
  if (values.crash === true) {
    const c = CRASH_DEFAULTS;
    return {
      kind: 'crash',
      options: {
        ...c,
        iterations: num('iterations', c.iterations, true),
        nodeKills: num('node-kills', c.nodeKills, true),
        seed: num('seed', c.seed, true),
      },
    };
  }
  const d = SOAK_DEFAULTS;
  const peers = num('peers', d.peers, true);
  if (peers < 1) throw new Error('--peers: expected at least 1');
  const durationMs = Math.round(num('minutes', d.durationMs / 60_000) * 60_000);
  return {
    kind: 'soak',
    options: {
      ...d,
      peers,
      durationMs,
      intervalMs: Math.max(1, Math.round(num('interval', d.intervalMs / 1000) * 1000)),
      sampleMs: Math.max(1, Math.round(num('sample', d.sampleMs / 1000) * 1000)),
      warmupMs: Math.round(num('warmup', durationMs / 4 / 1000) * 1000),
      maxGrowth: num('max-growth', d.maxGrowth),
      maxSlopeMibPerMin: num('max-slope', d.maxSlopeMibPerMin),
      minRiseMib: num('min-rise', d.minRiseMib),
      misbehaveEvery: num('misbehave-every', d.misbehaveEvery, true),
      seed: num('seed', d.seed, true),
    },
  };
}
