/**
 * The soak's verdict on memory: does the node's heap, measured after a full collection, keep
 * growing once warmed up? Pure, so it is tested on synthetic series.
 * @module
 */
import type { MemorySample } from './sample.ts';

/** Bytes in a MiB. */
const MIB = 1024 * 1024;
/** Milliseconds in a minute. */
const MINUTE_MS = 60_000;

/** Limits of {@link memoryVerdict}. */
export interface VerdictLimits {
  /** Samples before this time (ms since the start) are warm-up and not judged. */
  readonly warmupMs: number;
  /** Most the last sample may be, as a multiple of the first one after warm-up (e.g. 1.5). */
  readonly maxGrowth: number;
  /** Steepest least-squares slope over the second half of the judged samples, in MiB/min. */
  readonly maxSlopeMibPerMin: number;
  /**
   * The noise floor of the slope limit, in MiB: a slope over it fails only when the rise it
   * makes over the second half's span is larger than this (a short run's slope is mostly the
   * heap's jitter).
   */
  readonly minRiseMib: number;
}

/** The outcome of {@link memoryVerdict}. */
export interface MemoryVerdict {
  /** True when memory stayed bounded by both limits. */
  readonly ok: boolean;
  /** Why it failed, or what it found. */
  readonly reason: string;
  /** Samples judged (after warm-up). */
  readonly judged: number;
  /** Heap after GC of the first judged sample, in bytes. */
  readonly baselineBytes: number;
  /** Heap after GC of the last sample, in bytes. */
  readonly lastBytes: number;
  /** `lastBytes / baselineBytes`. */
  readonly growth: number;
  /** Least-squares slope of heap after GC over the second half of the judged samples, MiB/min. */
  readonly slopeMibPerMin: number;
}

/** Fewest judged samples for a verdict: a baseline, and two for the second half's slope. */
export const MIN_JUDGED_SAMPLES = 3;

/**
 * Judges a soak's samples: it fails when the last heap-after-GC exceeds `maxGrowth` times the
 * first judged one, or when the heap-after-GC of the second half of the judged samples rises
 * faster than `maxSlopeMibPerMin` by more than `minRiseMib` in all; and when fewer than {@link MIN_JUDGED_SAMPLES} samples follow
 * the warm-up, as nothing can then be said.
 */
export function memoryVerdict(
  samples: readonly MemorySample[],
  limits: VerdictLimits,
): MemoryVerdict {
  const judged = samples.filter((s) => s.elapsedMs >= limits.warmupMs);
  const first = judged[0];
  const last = judged.at(-1);
  if (first === undefined || last === undefined || judged.length < MIN_JUDGED_SAMPLES) {
    return {
      ok: false,
      reason: `${judged.length} samples after warm-up, need ${MIN_JUDGED_SAMPLES}: run longer or sample more often`,
      judged: judged.length,
      baselineBytes: first?.heapAfterGcBytes ?? 0,
      lastBytes: last?.heapAfterGcBytes ?? 0,
      growth: Number.NaN,
      slopeMibPerMin: Number.NaN,
    };
  }
  const growth = last.heapAfterGcBytes / first.heapAfterGcBytes;
  const secondHalf = judged.slice(Math.floor(judged.length / 2));
  const slopeMibPerMin =
    (slope(secondHalf.map((s) => [s.elapsedMs, s.heapAfterGcBytes])) * MINUTE_MS) / MIB;
  const spanMin =
    ((secondHalf.at(-1)?.elapsedMs ?? 0) - (secondHalf[0]?.elapsedMs ?? 0)) / MINUTE_MS;
  const riseMib = slopeMibPerMin * spanMin;
  const found = `heap after GC ${mib(first.heapAfterGcBytes)} -> ${mib(last.heapAfterGcBytes)} MiB (x${growth.toFixed(2)}), second-half slope ${slopeMibPerMin.toFixed(3)} MiB/min (${riseMib.toFixed(1)} MiB over ${spanMin.toFixed(1)} min)`;
  const failures: string[] = [];
  if (growth > limits.maxGrowth) failures.push(`grew more than x${limits.maxGrowth}`);
  if (slopeMibPerMin > limits.maxSlopeMibPerMin && riseMib > limits.minRiseMib) {
    failures.push(`still rising faster than ${limits.maxSlopeMibPerMin} MiB/min`);
  }
  return {
    ok: failures.length === 0,
    reason: failures.length === 0 ? `bounded: ${found}` : `${failures.join('; ')}: ${found}`,
    judged: judged.length,
    baselineBytes: first.heapAfterGcBytes,
    lastBytes: last.heapAfterGcBytes,
    growth,
    slopeMibPerMin,
  };
}

/** The least-squares slope of `points` ([x, y] pairs, at least two distinct x); 0 if flat in x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den === 0 ? 0 : num / den;
}

/** `bytes` in MiB with one decimal. */
export function mib(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}
