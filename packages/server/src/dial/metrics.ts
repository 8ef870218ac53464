/**
 * The dial scheduler's counters; the scheduler owns them and hands out snapshots.
 * @module
 */
import type { DialSkipReason } from './check.ts';
import { DIAL_SKIP_REASON } from './check.ts';
import type { DialMetrics } from './types.ts';

/** The live counters behind {@link DialMetrics}. */
export class DialMetricsCounters {
  attempts = 0;
  succeeded = 0;
  failed = 0;
  timedOut = 0;
  resolves = 0;
  retries = 0;
  lookups = 0;
  readonly candidates: Record<'random' | 'lookup', number> = { random: 0, lookup: 0 };
  readonly #skipped = Object.fromEntries(
    Object.values(DIAL_SKIP_REASON).map((reason) => [reason, 0]),
  ) as Record<DialSkipReason, number>;
  #latencyCount = 0;
  #latencyTotalMs = 0;
  #latencyMaxMs = 0;

  skip(reason: DialSkipReason): void {
    this.#skipped[reason]++;
  }

  /** Records one discovery-to-dial latency. */
  latency(ms: number): void {
    this.#latencyCount++;
    this.#latencyTotalMs += ms;
    if (ms > this.#latencyMaxMs) this.#latencyMaxMs = ms;
  }

  snapshot(activeDials: number): DialMetrics {
    return {
      attempts: this.attempts,
      succeeded: this.succeeded,
      failed: this.failed,
      timedOut: this.timedOut,
      resolves: this.resolves,
      retries: this.retries,
      lookups: this.lookups,
      candidates: { ...this.candidates },
      skipped: { ...this.#skipped },
      activeDials,
      latency: {
        count: this.#latencyCount,
        totalMs: this.#latencyTotalMs,
        maxMs: this.#latencyMaxMs,
      },
    };
  }
}
