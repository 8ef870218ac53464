/**
 * RLPx on loopback, ethp2p against @ethereumjs/devp2p in one run: handshakes per second
 * (sequential and 8 in flight), one-way message throughput for 1 KiB, 16 KiB and 1 MiB random
 * messages (with and without snappy) next to the crypto ceiling of the same frames (see
 * rlpx-ceiling.ts), and request/response round-trip time. Both ends of every
 * connection run in this process, for both stacks. `RLPX_BASELINE=<checkout>` runs instead the
 * throughput rows against another checkout's build, alternately (rlpx-baseline.ts).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */
import { setMaxListeners } from 'node:events';
import { napiSnappyAvailable } from '@ethp2p/rlpx/frame';
import { startEjs } from './ejs-rlpx.ts';
import { runBaselineComparison } from './rlpx-baseline.ts';
import { type CeilingHash, ceilingBytes } from './rlpx-ceiling.ts';
import { macStepTable } from './rlpx-mac.ts';
import { startOurs } from './rlpx-ours.ts';
import {
  cpuMsSince,
  HELLO_SIZE,
  REQUEST_SIZE,
  RESPONSE_SIZE,
  type RlpxTarget,
} from './rlpx-target.ts';
import { formatTable } from './timing.ts';

/** How much one stack is asked to do; ethereumjs gets smaller counts (it is ~100x slower). */
interface Budget {
  /** Untimed handshakes before each handshake measurement. */
  readonly warmupHandshakes: number;
  /** Handshakes one after the other. */
  readonly sequential: number;
  /** Handshakes with {@link IN_FLIGHT} at once. */
  readonly parallel: number;
  /** Payload bytes per throughput row at most (a run of an eighth of it warms up first). */
  readonly flowBytes: number;
  /** Milliseconds per throughput row at most. */
  readonly flowMs: number;
  /** Untimed round trips first. */
  readonly warmupRoundTrips: number;
  /** Timed round trips. */
  readonly roundTrips: number;
}

const IN_FLIGHT = 8;
/** Alternating rounds per row of the comparison against another checkout. */
const DEFAULT_ROUNDS = 5;
const MESSAGE_SIZES = [1 << 10, 16 << 10, 1 << 20] as const;
/** Abort listeners one handshake in flight may hold on the shared signal (dial, reads, waits). */
const LISTENERS_PER_HANDSHAKE = 8;
/** Bound of every single measurement. */
const MEASURE_TIMEOUT_MS = 60_000;

const OURS: Budget = {
  warmupHandshakes: 30,
  sequential: 300,
  parallel: 600,
  flowBytes: 16 << 20,
  flowMs: 3000,
  warmupRoundTrips: 20,
  roundTrips: 200,
};
const EJS: Budget = {
  warmupHandshakes: 3,
  sequential: 20,
  parallel: 40,
  flowBytes: 4 << 20,
  flowMs: 3000,
  warmupRoundTrips: 2,
  roundTrips: 20,
};

/** One metric for both stacks; null where a stack cannot do it. */
interface Row {
  readonly label: string;
  readonly ours: number | null;
  readonly ejs: number | null;
}

/** Handshakes per second over `n` prepared handshakes, `concurrency` at a time. */
async function handshakeRate(target: RlpxTarget, n: number, concurrency: number): Promise<number> {
  const signal = AbortSignal.timeout(MEASURE_TIMEOUT_MS);
  setMaxListeners(concurrency * LISTENERS_PER_HANDSHAKE, signal);
  const handshakes = await target.prepareHandshakes(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let h = handshakes[next++]; h !== undefined; h = handshakes[next++]) {
      signal.throwIfAborted();
      await h(signal);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (n * 1000) / (performance.now() - started);
}

async function handshakes(target: RlpxTarget, budget: Budget): Promise<[number, number]> {
  await handshakeRate(target, budget.warmupHandshakes, 1);
  const sequential = await handshakeRate(target, budget.sequential, 1);
  await handshakeRate(target, budget.warmupHandshakes, IN_FLIGHT);
  return [sequential, await handshakeRate(target, budget.parallel, IN_FLIGHT)];
}

/** Throughput of one row: MB/s of wall time and MB per CPU-second of this process. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** MB/s (10^6 payload bytes per second) of one row, after a warm-up run of an eighth. */
async function throughput(
  target: RlpxTarget,
  budget: Budget,
  size: number,
  snappy: boolean,
): Promise<Rate | null> {
  if (!snappy && !target.canDisableSnappy) return null;
  const run = (fraction: number) =>
    target.flow({
      size,
      snappy,
      maxBytes: Math.max(size, budget.flowBytes * fraction),
      maxMs: budget.flowMs * fraction,
      signal: AbortSignal.timeout(MEASURE_TIMEOUT_MS),
    });
  await run(1 / 8);
  const { bytes, elapsedMs, cpuMs } = await run(1);
  return { wall: bytes / (elapsedMs * 1000), cpu: bytes / (cpuMs * 1000) };
}

/** The p50 and p99 round trip in ms, warm-up trips dropped. */
async function roundTrip(target: RlpxTarget, budget: Budget): Promise<[number, number]> {
  const signal = AbortSignal.timeout(MEASURE_TIMEOUT_MS);
  const all = await target.roundTrips(budget.warmupRoundTrips + budget.roundTrips, signal);
  const times = all.slice(budget.warmupRoundTrips).sort((a, b) => a - b);
  const at = (p: number): number =>
    times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? Number.NaN;
  return [at(50), at(99)];
}

/** Three significant digits. */
function sig3(x: number | null): string {
  if (x === null) return 'n/a';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** Prints one table: `ratio` is ours/ejs (rates) or ejs/ours (times). */
function print(
  title: string,
  rows: readonly Row[],
  kind: 'rate' | 'time',
  target: (row: Row) => string,
  notes: readonly string[],
): void {
  const ratio = (r: Row): string => {
    if (r.ours === null || r.ejs === null) return 'n/a';
    return `${(kind === 'rate' ? r.ours / r.ejs : r.ejs / r.ours).toFixed(1)}x`;
  };
  const header = [title, 'ethp2p', '@ethereumjs/devp2p', 'ratio', 'target'];
  const cells = rows.map((r) => [r.label, sig3(r.ours), sig3(r.ejs), ratio(r), target(r)]);
  console.log(`${formatTable(header, cells)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}

async function handshakeTable(ours: RlpxTarget, ejs: RlpxTarget): Promise<void> {
  const [oursSeq, oursPar] = await handshakes(ours, OURS);
  const [ejsSeq, ejsPar] = await handshakes(ejs, EJS);
  const rows: Row[] = [
    { label: 'sequential', ours: oursSeq, ejs: ejsSeq },
    { label: `${IN_FLIGHT} in flight`, ours: oursPar, ejs: ejsPar },
  ];
  print('handshakes/s', rows, 'rate', () => '>= 10x', [
    'handshake = TCP connect + ECIES auth/ack + a message each way, initiator and recipient ' +
      'both timed to completion',
    `ethereumjs: until peer:added on both nodes (Hello both ways; it exposes no bare handshake); ` +
      `ethp2p: connect/accept, then a ${HELLO_SIZE}-byte Hello-sized message each way`,
    `counts: ethp2p ${OURS.sequential} / ${OURS.parallel}, ethereumjs ${EJS.sequential} / ` +
      `${EJS.parallel} (sequential / ${IN_FLIGHT} in flight), after untimed warm-up ones`,
  ]);
}

/** One throughput row: ours and ethereumjs, and the crypto ceiling for its message size. */
interface FlowRow {
  readonly label: string;
  readonly ours: Rate | null;
  readonly ejs: Rate | null;
  readonly ceiling: number;
  /** The same on the frame MACs' keccak-256 instead of OpenSSL's SHA3-256. */
  readonly keccakCeiling: number;
  readonly target: string;
}

/** `a / b` as a ratio cell. */
function ratioCell(a: number | undefined, b: number | undefined, percent: boolean): string {
  if (a === undefined || b === undefined) return 'n/a';
  return percent ? `${((100 * a) / b).toFixed(0)}%` : `${(a / b).toFixed(1)}x`;
}

/**
 * The crypto ceiling of `size`-byte messages (see rlpx-ceiling.ts) in MB per CPU-second, after
 * a warm-up eighth: the native one, or with `'keccak'` the one on ethp2p's keccak-256.
 */
function ceiling(size: number, hash: CeilingHash = 'sha3'): number {
  const run = (fraction: number): number => {
    const cpu = process.cpuUsage();
    const bytes = ceilingBytes({
      size,
      maxBytes: Math.max(size, OURS.flowBytes * fraction),
      maxMs: OURS.flowMs * fraction,
      hash,
    });
    return bytes / (cpuMsSince(cpu) * 1000);
  };
  run(1 / 8);
  return run(1);
}

async function throughputTable(ours: RlpxTarget, ejs: RlpxTarget): Promise<void> {
  const rows: FlowRow[] = [];
  for (const size of MESSAGE_SIZES) {
    const limit = ceiling(size);
    const keccakLimit = ceiling(size, 'keccak');
    for (const snappy of [false, true]) {
      const label = `${size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`}${snappy ? ' snappy' : ''}`;
      const oursRate = await throughput(ours, OURS, size, snappy);
      const ejsRate = await throughput(ejs, EJS, size, snappy);
      const targets = [ejsRate === null ? '' : '>= 5x ejs', size === 16 << 10 ? '>= 60% ceil' : ''];
      rows.push({
        label,
        ours: oursRate,
        ejs: ejsRate,
        ceiling: limit,
        keccakCeiling: keccakLimit,
        target: targets.filter((t) => t !== '').join(', '),
      });
    }
  }
  const header = [
    'MB/s one way',
    'ethp2p',
    'ethp2p cpu',
    'ceiling cpu',
    'ethp2p/ceiling',
    'keccak ceiling cpu',
    'ethp2p/keccak ceiling',
    '@ethereumjs/devp2p',
    'ethp2p/ejs',
    'target',
  ];
  const cells = rows.map((r) => [
    r.label,
    sig3(r.ours?.wall ?? null),
    sig3(r.ours?.cpu ?? null),
    sig3(r.ceiling),
    ratioCell(r.ours?.cpu, r.ceiling, true),
    sig3(r.keccakCeiling),
    ratioCell(r.ours?.cpu, r.keccakCeiling, true),
    sig3(r.ejs?.wall ?? null),
    ratioCell(r.ours?.wall, r.ejs?.wall, false),
    r.target,
  ]);
  const notes = [
    'MB = 10^6 payload bytes; random (incompressible) payloads; time from the first send to ' +
      'the receiver reading the last message; "cpu" columns are MB per CPU-second of this ' +
      'process (user + system, all threads), which a busy machine distorts less than wall time',
    `ethp2p: ${OURS.flowBytes >> 20} MiB or ${OURS.flowMs / 1000} s per row, awaiting writeMsg ` +
      `(TCP backpressure); snappy: ${napiSnappyAvailable() ? 'napi snappy' : 'snappyjs'}`,
    'ceiling: the least crypto both ends must do for the same frames, with node:crypto alone and ' +
      'no framing or I/O (per frame and end: one AES-256-CTR call, the header and frame MACs: ' +
      'keccak absorbs, 3 non-consuming digests, 2 AES-256 blocks), SHA3-256 standing in for ' +
      'keccak-256 (same sponge and rate; OpenSSL has no keccak-256); ethp2p/ceiling compares CPU ' +
      'rates; snappy rows also compress, which the ceiling does not count',
    "keccak ceiling: the same loop with the frame MACs' keccak-256 (createMacKeccak, on the " +
      "frame-MAC WebAssembly module) in place of OpenSSL's SHA3-256, whose assembly permutation " +
      'no keccak-256 on Node 20 matches: the least this crypto costs with the keccak ethp2p has',
    `ethereumjs: ${EJS.flowBytes >> 20} MiB or ${EJS.flowMs / 1000} s per row as eth ` +
      'Transactions, 1 MiB in flight at most (it ignores socket backpressure); it always ' +
      'compresses with snappy once both Hellos are v5, with no switch, so it has no plain rows; ' +
      'ethp2p/ejs compares wall rates',
  ];
  console.log(`${formatTable(header, cells)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}

async function roundTripTable(ours: RlpxTarget, ejs: RlpxTarget): Promise<void> {
  const [oursP50, oursP99] = await roundTrip(ours, OURS);
  const [ejsP50, ejsP99] = await roundTrip(ejs, EJS);
  const rows: Row[] = [
    { label: 'p50 ms', ours: oursP50, ejs: ejsP50 },
    { label: 'p99 ms', ours: oursP99, ejs: ejsP99 },
  ];
  print('round trip', rows, 'time', () => 'ethp2p < 1 ms', [
    `a ${REQUEST_SIZE}-byte request answered by a ${RESPONSE_SIZE}-byte response (the sizes of ` +
      'an eth/68 GetBlockHeaders and an empty BlockHeaders), snappy on, one at a time',
    `ethp2p: ${OURS.roundTrips} trips, a readMsg/writeMsg loop answers; ethereumjs: ` +
      `${EJS.roundTrips} trips, GetBlockHeaders answered from the other node's ETH message ` +
      'event (so its p99 is the slowest trip)',
    'ethereumjs leaves Nagle on and writes each frame as two writes (header, body), so its ' +
      'trip waits on delayed ACKs; with TCP_NODELAY forced on its sockets it answers in under 1 ms',
  ]);
}

/**
 * Runs the rlpx suite and prints its three tables; with `RLPX_BASELINE=<checkout>` instead the
 * throughput rows against that checkout's build (see rlpx-baseline.ts), `RLPX_ROUNDS` rounds.
 */
export async function runRlpxBench(): Promise<void> {
  const baseline = process.env.RLPX_BASELINE;
  if (baseline !== undefined && baseline !== '') {
    await runBaselineComparison(baseline, Number(process.env.RLPX_ROUNDS ?? DEFAULT_ROUNDS));
    await macStepTable();
    return;
  }
  console.log(
    `rlpx: ethp2p vs @ethereumjs/devp2p on 127.0.0.1, both ends in this process, ` +
      `Node ${process.version}\n`,
  );
  const ours = await startOurs();
  try {
    const ejs = await startEjs();
    try {
      await handshakeTable(ours, ejs);
      await throughputTable(ours, ejs);
      await roundTripTable(ours, ejs);
      await macStepTable();
    } finally {
      await ejs.close();
    }
  } finally {
    await ours.close();
  }
}
