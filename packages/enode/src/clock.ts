/**
 * Injected time and randomness. Logic never calls `Date.now()`, `setTimeout` or `Math.random`
 * directly: it takes a {@link Clock} and a {@link Random}, so tests drive time with
 * {@link SimulatedClock} and get repeatable randomness from {@link seededRandom}.
 * @module
 */
import { randomBytes } from 'node:crypto';

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

/** A source of randomness. */
export interface Random {
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** A random integer in [0, n). */
  intn(n: number): number;
}

/** Randomness from the operating system's CSPRNG. */
export const systemRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
  intn: (n) => Math.floor((randomBytes(4).readUInt32BE(0) / 0x1_0000_0000) * n),
};

/** A repeatable, non-cryptographic random source (xorshift32) for tests and simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
    intn: (n) => Math.floor((next() / 0x1_0000_0000) * n),
  };
}
