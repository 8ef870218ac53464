/**
 * The rlpx throughput rows against another checkout of ethp2p, for before/after figures on one
 * machine: `RLPX_BASELINE=<checkout> pnpm bench rlpx` loads that checkout's built
 * `packages/rlpx/dist` next to this one's and runs the same one-way flows on both, alternately
 * (this, baseline, ceiling; the next round baseline first), for several rounds in the same
 * period, so a machine whose load drifts shifts both sides alike. Each round gives a paired ratio
 * this/baseline; the table prints their median and range. The other checkout must be installed
 * and built (`pnpm install && npx tsc -b` there) and export `connect` and `accept` like this one.
 * @module
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { napiSnappyAvailable } from '@ethp2p/rlpx/frame';
import { type CeilingHash, ceilingBytes } from './rlpx-ceiling.ts';
import { type RlpxModule, startOurs } from './rlpx-ours.ts';
import { cpuMsSince, type RlpxTarget } from './rlpx-target.ts';
import { median, spread } from './stats.ts';
import { formatTable } from './timing.ts';

/** One row: message size and snappy. */
interface Case {
  readonly size: number;
  readonly snappy: boolean;
}

const CASES: readonly Case[] = [
  { size: 1 << 10, snappy: false },
  { size: 1 << 10, snappy: true },
  { size: 16 << 10, snappy: false },
  { size: 16 << 10, snappy: true },
  { size: 1 << 20, snappy: true },
];
/** Payload bytes and milliseconds of one flow at most (a run of an eighth warms up first). */
const FLOW_BYTES = 16 << 20;
const FLOW_MS = 2000;
const MEASURE_TIMEOUT_MS = 60_000;

/** MB/s of wall time and MB per CPU-second of one run. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Loads `packages/rlpx/dist/index.js` of the checkout at `dir`. */
async function loadRlpx(dir: string): Promise<RlpxModule> {
  const entry = resolve(dir, 'packages/rlpx/dist/index.js');
  try {
    await access(entry);
  } catch {
    throw new Error(`${entry} not found: install and build that checkout first (npx tsc -b)`);
  }
  const module = (await import(pathToFileURL(entry).href)) as Partial<RlpxModule>;
  if (typeof module.connect !== 'function' || typeof module.accept !== 'function') {
    throw new Error(`${entry} does not export connect and accept`);
  }
  return module as RlpxModule;
}

async function flowRate(target: RlpxTarget, c: Case): Promise<Rate> {
  const run = (fraction: number) =>
    target.flow({
      size: c.size,
      snappy: c.snappy,
      maxBytes: Math.max(c.size, FLOW_BYTES * fraction),
      maxMs: FLOW_MS * fraction,
      signal: AbortSignal.timeout(MEASURE_TIMEOUT_MS),
    });
  await run(1 / 8);
  const { bytes, elapsedMs, cpuMs } = await run(1);
  return { wall: bytes / (elapsedMs * 1000), cpu: bytes / (cpuMs * 1000) };
}

/** The crypto ceiling's MB per CPU-second for `size` on `hash` (see rlpx-ceiling.ts). */
function ceilingRate(size: number, hash: CeilingHash): number {
  const cpu = process.cpuUsage();
  const bytes = ceilingBytes({ size, maxBytes: FLOW_BYTES, maxMs: FLOW_MS, hash });
  return bytes / (cpuMsSince(cpu) * 1000);
}

function label(c: Case): string {
  const size = c.size >= 1 << 20 ? `${c.size >> 20} MiB` : `${c.size >> 10} KiB`;
  return `${size}${c.snappy ? ' snappy' : ''}`;
}

/** Measurements of one row over the rounds. */
interface Samples {
  readonly ours: Rate[];
  readonly base: Rate[];
  readonly ceiling: number[];
  readonly keccakCeiling: number[];
}

/**
 * Runs the flow rows on this checkout and on the one at `baselineDir`, alternately, `rounds`
 * times each, and prints medians and paired ratios.
 */
export async function runBaselineComparison(baselineDir: string, rounds: number): Promise<void> {
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`RLPX_ROUNDS: expected a positive integer, got ${rounds}`);
  }
  const baseline = await loadRlpx(baselineDir);
  console.log(
    `rlpx: this checkout against ${resolve(baselineDir)} on 127.0.0.1, both in this process, ` +
      `${rounds} alternating rounds per row, Node ${process.version}\n`,
  );
  const ours = await startOurs('this');
  try {
    const base = await startOurs('baseline', baseline);
    try {
      const rows: [Case, Samples][] = [];
      for (const c of CASES) {
        const samples: Samples = { ours: [], base: [], ceiling: [], keccakCeiling: [] };
        for (let round = 0; round < rounds; round++) {
          const first = round % 2 === 0;
          if (first) samples.ours.push(await flowRate(ours, c));
          samples.base.push(await flowRate(base, c));
          if (!first) samples.ours.push(await flowRate(ours, c));
          samples.ceiling.push(ceilingRate(c.size, 'sha3'));
          samples.keccakCeiling.push(ceilingRate(c.size, 'keccak'));
        }
        rows.push([c, samples]);
      }
      print(rows);
    } finally {
      await base.close();
    }
  } finally {
    await ours.close();
  }
}

function print(rows: readonly [Case, Samples][]): void {
  const header = [
    'MB/s one way',
    'this',
    'this cpu',
    'baseline',
    'baseline cpu',
    'this/baseline wall',
    'this/baseline cpu',
    'this/ceiling',
    'baseline/ceiling',
    'this/keccak ceiling',
    'baseline/keccak ceiling',
  ];
  const cells = rows.map(([c, s]) => {
    const over = (rates: readonly number[], by: readonly number[], percent: boolean) =>
      spread(
        rates.map((r, i) => r / (by[i] as number)),
        percent,
      );
    const wall = (rates: readonly Rate[]) => rates.map((r) => r.wall);
    const cpu = (rates: readonly Rate[]) => rates.map((r) => r.cpu);
    return [
      label(c),
      median(wall(s.ours)).toFixed(1),
      median(cpu(s.ours)).toFixed(1),
      median(wall(s.base)).toFixed(1),
      median(cpu(s.base)).toFixed(1),
      over(wall(s.ours), wall(s.base), false),
      over(cpu(s.ours), cpu(s.base), false),
      over(cpu(s.ours), s.ceiling, true),
      over(cpu(s.base), s.ceiling, true),
      over(cpu(s.ours), s.keccakCeiling, true),
      over(cpu(s.base), s.keccakCeiling, true),
    ];
  });
  const notes = [
    'MB = 10^6 payload bytes of random (incompressible) messages, one way over one connection, ' +
      'awaiting writeMsg; "cpu" = MB per CPU-second of this process; rates are medians over ' +
      'the rounds',
    'ratios are per round (this and baseline measured back to back, alternating which goes ' +
      'first), shown as median [min-max]; ceiling ratios compare CPU rates with the ceiling ' +
      '(rlpx-ceiling.ts: OpenSSL SHA3-256 standing in for keccak-256) and the keccak ceiling ' +
      "(the same on this checkout's frame-MAC keccak-256), both measured in the same round",
    `${FLOW_BYTES >> 20} MiB or ${FLOW_MS / 1000} s per flow after a warm-up eighth; snappy: ` +
      `${napiSnappyAvailable() ? 'napi snappy' : 'snappyjs'}`,
  ];
  console.log(`${formatTable(header, cells)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}
