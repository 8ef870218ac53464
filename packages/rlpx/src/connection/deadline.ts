/**
 * A deadline as an `AbortSignal`: aborts with a `TIMEOUT` {@link RlpxError} after a delay, or
 * with the parent signal's reason, whichever comes first. The timer runs on the injected clock
 * (the system clock's timers are unref'd) and is cancelled by {@link Deadline.clear}, so a
 * finished or failed operation leaves nothing behind. Deadlines sharing a parent cost it one
 * listener in all (see `childSignal` in `@ethp2p/base`).
 * @module
 */
import { type Clock, checkPositiveMs, childSignal, systemClock } from '@ethp2p/base';
import { RlpxError } from '../errors.ts';

/** A running deadline; call {@link Deadline.clear} in a `finally`. */
export interface Deadline {
  /** Aborts on timeout (reason: `RlpxError` `TIMEOUT`) or when the parent signal aborts. */
  readonly signal: AbortSignal;
  /** Clears the timer and detaches from the parent signal. Idempotent. */
  clear(): void;
}

/**
 * Starts a deadline of `ms` milliseconds, linked to `parent`.
 * @throws {RangeError} if `ms` is not a positive finite number
 */
export function startDeadline(
  ms: number,
  what: string,
  parent?: AbortSignal,
  clock: Clock = systemClock,
): Deadline {
  checkPositiveMs('timeout', ms);
  const child = childSignal(parent);
  const timer = clock.schedule(ms, () => {
    child.abort(new RlpxError('TIMEOUT', `${what} timed out after ${ms} ms`));
  });
  return {
    signal: child.signal,
    clear(): void {
      timer.cancel();
      child.release();
    },
  };
}
