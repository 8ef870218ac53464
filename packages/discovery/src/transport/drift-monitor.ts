/**
 * Clock-drift suspicion from consecutive reply timeouts (geth `UDPv4.loop` `contTimeouts`). If our
 * clock is far off, peers drop our packets as expired and every request times out.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { NTP_FAILURE_THRESHOLD, NTP_WARNING_COOLDOWN_MS } from './constants.ts';

/** Passed to the `onClockDriftSuspected` hook of the reply matcher. */
export interface ClockDriftInfo {
  /** Consecutive timeouts that triggered the suspicion. */
  readonly consecutiveTimeouts: number;
}

/**
 * Counts consecutive timeouts; at {@link NTP_FAILURE_THRESHOLD} it warns (and calls the hook),
 * at most once per {@link NTP_WARNING_COOLDOWN_MS}, then counts again from zero as geth does.
 */
export class DriftMonitor {
  readonly #logger: Logger;
  readonly #hook: ((info: ClockDriftInfo) => void) | undefined;
  #consecutive = 0;
  #lastWarnAt: number | undefined;

  constructor(logger: Logger, hook: ((info: ClockDriftInfo) => void) | undefined) {
    this.#logger = logger;
    this.#hook = hook;
  }

  /** Timeouts since the last reply. */
  get consecutiveTimeouts(): number {
    return this.#consecutive;
  }

  /** A node we waited for replied: the clock is fine. */
  replied(): void {
    this.#consecutive = 0;
  }

  /** A request timed out at `now`. */
  timedOut(now: number): void {
    this.#consecutive++;
    if (this.#consecutive < NTP_FAILURE_THRESHOLD) return;
    const consecutiveTimeouts = this.#consecutive;
    this.#consecutive = 0;
    const last = this.#lastWarnAt;
    // A clock that went backwards since the last warning does not hold the next one back.
    if (last !== undefined && now >= last && now - last < NTP_WARNING_COOLDOWN_MS) return;
    this.#lastWarnAt = now;
    this.#logger.warn('many consecutive reply timeouts, the system clock may be off', {
      consecutiveTimeouts,
    });
    try {
      this.#hook?.({ consecutiveTimeouts });
    } catch (err) {
      this.#logger.error('clock drift hook threw', { error: String(err) });
    }
  }
}
