import { describe, expect, it } from 'vitest';
import type { MemorySample } from '../src/sample.ts';
import { MIN_JUDGED_SAMPLES, memoryVerdict, slope, type VerdictLimits } from '../src/verdict.ts';

const MIB = 1024 * 1024;
const limits: VerdictLimits = {
  warmupMs: 30_000,
  maxGrowth: 1.5,
  maxSlopeMibPerMin: 2,
  minRiseMib: 4,
};

/** Samples every 10 s for `minutes`, heap after GC from `heapMib(t)` (t in minutes). */
function series(minutes: number, heapMib: (t: number) => number): MemorySample[] {
  return Array.from({ length: minutes * 6 + 1 }, (_, i) => {
    const elapsedMs = i * 10_000;
    const heap = heapMib(elapsedMs / 60_000) * MIB;
    return {
      elapsedMs,
      rssBytes: heap * 4,
      heapUsedBytes: heap * 1.3,
      heapAfterGcBytes: heap,
      activeHandles: 10,
      peers: 20,
      ethPeers: 16,
    };
  });
}

/** ±0.3 MiB of repeatable jitter. */
const jitter = (t: number): number => 0.3 * Math.sin(t * 37);

describe('memoryVerdict', () => {
  it('passes a flat heap with jitter', () => {
    const v = memoryVerdict(
      series(10, (t) => 40 + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(true);
    expect(v.reason).toMatch(/^bounded/);
    expect(v.growth).toBeGreaterThan(0.95);
    expect(v.growth).toBeLessThan(1.05);
    expect(Math.abs(v.slopeMibPerMin)).toBeLessThan(0.5);
  });

  it('passes growth that levels off within the warm-up', () => {
    // A cache filling up: 20 MiB to 40 MiB in the first 20 s, flat after.
    const v = memoryVerdict(
      series(5, (t) => Math.min(40, 20 + t * 60) + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(true);
    expect(v.baselineBytes).toBeGreaterThan(39 * MIB);
  });

  it('fails a heap that keeps growing, on both limits', () => {
    const v = memoryVerdict(
      series(10, (t) => 40 + 5 * t + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(false);
    expect(v.slopeMibPerMin).toBeCloseTo(5, 0);
    expect(v.growth).toBeGreaterThan(1.5);
    expect(v.reason).toMatch(/grew more than x1\.5; still rising faster than 2 MiB\/min/);
  });

  it('fails a slow leak on growth alone once the run is long enough', () => {
    // 1 MiB/min is under the slope limit, but over 60 minutes the heap more than doubles.
    const v = memoryVerdict(
      series(60, (t) => 40 + t + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(false);
    expect(v.slopeMibPerMin).toBeLessThan(limits.maxSlopeMibPerMin);
    expect(v.reason).toMatch(/^grew more than x1\.5:/);
  });

  it('fails a late surge on the second-half slope alone', () => {
    // Flat at 100 MiB for 8 minutes, then +10 MiB/min: the last sample is only x1.2 of the first.
    const v = memoryVerdict(
      series(10, (t) => 100 + Math.max(0, t - 8) * 10 + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(false);
    expect(v.growth).toBeLessThan(1.5);
    expect(v.reason).toMatch(/^still rising faster than 2 MiB\/min:/);
  });

  it('passes a short run whose steep slope rises less than the noise floor', () => {
    // 2 minutes: the second half spans 45 s, and +3 MiB/min over it is only 2.3 MiB.
    const v = memoryVerdict(
      series(2, (t) => 25 + Math.max(0, t - 1.2) * 3),
      limits,
    );
    expect(v.slopeMibPerMin).toBeGreaterThan(limits.maxSlopeMibPerMin);
    expect(v.ok).toBe(true);
    // The same slope kept up for 10 minutes fails.
    const long = memoryVerdict(
      series(10, (t) => 25 + Math.max(0, t - 1.2) * 3),
      limits,
    );
    expect(long.ok).toBe(false);
    expect(long.reason).toMatch(/still rising faster than 2 MiB\/min/);
  });

  it('ignores the warm-up, however high it went', () => {
    const v = memoryVerdict(
      series(5, (t) => (t < 0.5 ? 400 : 40) + jitter(t)),
      limits,
    );
    expect(v.ok).toBe(true);
    expect(v.judged).toBe(series(5, () => 1).filter((s) => s.elapsedMs >= 30_000).length);
  });

  it('fails when too few samples follow the warm-up to judge', () => {
    const v = memoryVerdict(series(0.5, () => 40).slice(0, MIN_JUDGED_SAMPLES), limits);
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/samples after warm-up, need 3/);
    expect(v.growth).toBeNaN();
  });
});

describe('slope', () => {
  it('is the least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBe(2);
    expect(
      slope([
        [0, 0],
        [1, 1],
        [2, 0],
        [3, 1],
      ]),
    ).toBeCloseTo(0.2);
    expect(
      slope([
        [5, 1],
        [5, 9],
      ]),
    ).toBe(0);
    expect(slope([[1, 1]])).toBe(0);
  });
});
