/**
 * Injected time (geth `common/mclock`). Logic never calls `Date.now()` or `setTimeout` directly:
 * it takes a {@link Clock}, so tests drive time with {@link SimulatedClock}.
 * @module
 */

/** A scheduled callback that can be cancelled. Cancelling twice, or after it ran, is harmless. */
export interface Timer {
  cancel(): void;
}

/** Wall-clock time in milliseconds and one-shot timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds unless cancelled. */
  schedule(ms: number, fn: () => void): Timer;
}

/** The real clock. Its timers are unref'd so that they never keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Resolves after `ms` on `clock` (at once when `ms` ≤ 0). Aborting `signal` cancels the timer and
 * rejects with `signal.reason`; an already aborted signal rejects at once. (`timers/promises`
 * cannot follow a simulated clock.)
 */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      timer.cancel();
      reject(signal.reason);
    };
    const timer = clock.schedule(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A clock that moves only when told to. Timers due at or before the new time run in due order,
 * and a timer scheduled by a running timer runs in the same `advance` call if it falls due.
 */
export class SimulatedClock implements Clock {
  #now: number;
  #seq = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, fn: () => void): Timer {
    const id = this.#seq++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return { cancel: () => this.#timers.delete(id) };
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#timers.delete(next.id);
      this.#now = next.at;
      next.fn();
    }
    this.#now = target;
  }

  #nextDue(limit: number): { id: number; at: number; fn: () => void } | undefined {
    let best: { id: number; at: number; fn: () => void } | undefined;
    for (const [id, t] of this.#timers) {
      if (t.at <= limit && (best === undefined || t.at < best.at)) best = { id, ...t };
    }
    return best;
  }
}
