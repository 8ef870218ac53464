/**
 * The clock suite: what one timer fire costs on `SimulatedClock` with N timers pending, N = 1k,
 * 10k and 40k (a 10,000-node simulation keeps 30–40k), against the full scan the clock used
 * before its priority queue, in the same run. Each fire schedules a replacement at a pseudo-random
 * delay, so the pending count stays at N, as it does in a simulation.
 * @module
 */
import { type Clock, SimulatedClock, type Timer } from '@ethp2p/base';
import { formatMicros, formatTable } from './timing.ts';

const SIZES = [1_000, 10_000, 40_000] as const;
const BUDGET_MS = 400;
const MAX_DELAY_MS = 60_000;

/** Figures for the full scan, from issue 18 (measured before the priority queue). */
const ISSUE_SCAN_US: Readonly<Record<number, string>> = { 1000: '18', 40000: '281' };

/** The previous algorithm, as the baseline: a map of timers scanned on every fire. */
class ScanClock implements Clock {
  #now = 0;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

  schedule(ms: number, fn: () => void): Timer {
    const id = this.#seq++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return { cancel: () => this.#timers.delete(id) };
  }

  /** Runs the earliest timer; false when none waits. */
  runNext(): boolean {
    let bestId = -1;
    let best: { at: number; fn: () => void } | undefined;
    for (const [id, t] of this.#timers) {
      if (best === undefined || t.at < best.at) {
        best = t;
        bestId = id;
      }
    }
    if (best === undefined) return false;
    this.#timers.delete(bestId);
    this.#now = best.at;
    best.fn();
    return true;
  }
}

/** A clock under test: schedule through the Clock interface, fire one timer at a time. */
type Driven = Clock & { runNext(): boolean };

/** Microseconds per fire with `size` timers pending, measured for about `budgetMs`. */
function fireCost(clock: Driven, size: number, budgetMs: number): number {
  let state = 0x2545f491;
  const delay = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % MAX_DELAY_MS) + 1;
  };
  const rearm = (): void => {
    clock.schedule(delay(), rearm);
  };
  for (let i = 0; i < size; i++) clock.schedule(delay(), rearm);
  for (let i = 0; i < 100; i++) clock.runNext();
  const start = performance.now();
  let fires = 0;
  let now = start;
  while (now - start < budgetMs) {
    for (let i = 0; i < 64; i++) clock.runNext();
    fires += 64;
    now = performance.now();
  }
  return ((now - start) * 1000) / fires;
}

/** Runs the suite and prints µs per fire for the heap and the scan, with the ratio. */
export async function runClockBench(budgetMs: number = BUDGET_MS): Promise<void> {
  console.log('\nclock: SimulatedClock, µs per timer fire with N timers pending\n');
  const rows = SIZES.map((size) => {
    const heap = fireCost(new SimulatedClock(), size, budgetMs);
    const scan = fireCost(new ScanClock(), size, budgetMs);
    return [
      size.toLocaleString('en-US'),
      formatMicros(heap),
      formatMicros(scan),
      `${(scan / heap).toFixed(0)}x`,
      ISSUE_SCAN_US[size] ?? '-',
    ];
  });
  console.log(
    formatTable(
      ['pending timers', 'heap µs', 'scan µs', 'heap speedup', 'scan µs (issue 18)'],
      rows,
    ),
  );
}
