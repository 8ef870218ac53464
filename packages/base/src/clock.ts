/**
 * Injected time (geth `common/mclock`). Logic never calls `Date.now()` or `setTimeout` directly:
 * it takes a {@link Clock}, so tests drive time with {@link SimulatedClock}.
 * @module
 */

import { TimerQueue } from './timer-queue.ts';

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
 * Resolves after `ms` on `clock` (at once when `ms` ≤ 0). Aborting `signal` (or any of several)
 * cancels the timer and rejects with that signal's reason; an already aborted signal rejects at
 * once. Several signals are listened to directly, without a combined `AbortSignal.any`, whose
 * creation and weak references cost more than the wait on hot paths. (`timers/promises` cannot
 * follow a simulated clock.)
 */
export function sleep(
  clock: Clock,
  ms: number,
  signal: AbortSignal | readonly AbortSignal[],
): Promise<void> {
  const signals = signal instanceof AbortSignal ? [signal] : signal;
  for (const s of signals) if (s.aborted) return Promise.reject(s.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const stopListening = (): void => {
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      timer.cancel();
      stopListening();
      reject(signals.find((s) => s.aborted)?.reason);
    };
    const timer = clock.schedule(ms, () => {
      stopListening();
      resolve();
    });
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A clock that moves only when told to. Timers due at or before the new time run in due order
 * (first scheduled first among timers due at the same instant), and a timer scheduled by a running
 * timer runs in the same `advance` call if it falls due. Pending timers sit in a priority queue, so
 * a fire and a cancel cost O(log n) however many timers wait, and a cancelled timer is dropped at
 * once. Event-driven drivers jump from event to event with {@link SimulatedClock.nextAt} and
 * {@link SimulatedClock.runNext} instead of stepping blindly.
 */
export class SimulatedClock implements Clock {
  #now: number;
  readonly #queue = new TimerQueue();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, fn: () => void): Timer {
    const entry = this.#queue.push(this.#now + Math.max(0, ms), fn);
    return { cancel: () => this.#queue.remove(entry) };
  }

  /** How many timers are waiting (cancelled ones are not counted: they are gone). */
  get pending(): number {
    return this.#queue.size;
  }

  /** When the earliest pending timer falls due, or `undefined` when none waits. */
  nextAt(): number | undefined {
    return this.#queue.peek()?.at;
  }

  /**
   * Runs the earliest pending timer if it falls due at or before `limitMs` (default: whenever it
   * falls due), first moving time to its due time. Returns whether a timer ran; time does not move
   * when none did. Example: `while (clock.runNext(endMs)) await nextTurn();`.
   */
  runNext(limitMs: number = Number.POSITIVE_INFINITY): boolean {
    const next = this.#queue.peek();
    if (next === undefined || next.at > limitMs) return false;
    this.#queue.remove(next);
    this.#now = next.at;
    next.fn();
    return true;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    while (this.runNext(target));
    this.#now = target;
  }
}
