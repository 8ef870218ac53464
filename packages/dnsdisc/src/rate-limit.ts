/**
 * A token bucket on the injected clock (geth uses `golang.org/x/time/rate` for the same job).
 * @module
 */
import { type Clock, sleep } from '@ethp2p/base';

/**
 * Allows `perSecond` takes a second on average and `burst` at once (no limit when `perSecond`
 * is `Infinity`). Each {@link RateLimiter.take}
 * reserves its token at once and then waits its turn, so concurrent callers queue fairly.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(clock: Clock, perSecond: number, burst: number) {
    this.#clock = clock;
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Resolves when the caller may go; rejects with `signal.reason` on abort. */
  take(signal: AbortSignal): Promise<void> {
    if (this.#perMs === Number.POSITIVE_INFINITY) return sleep(this.#clock, 0, signal);
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    this.#tokens -= 1;
    return sleep(this.#clock, this.#tokens >= 0 ? 0 : -this.#tokens / this.#perMs, signal);
  }
}
