/**
 * Bounding waits with abort signals. `AbortSignal.any` keeps every child of a long-lived signal
 * alive on Node 20, so these are small and explicit.
 * @module
 */
import { type Clock, childSignal } from '@ethp2p/base';

/** A signal that aborts with its parent or after a deadline; `dispose()` releases both. */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * A child of `parent` that also aborts with `reason()` after `ms` on `clock`. Call `dispose()`
 * when done: it cancels the timer and releases the child (`childSignal`: deadlines sharing a
 * parent cost it one listener in all).
 */
export function deadlineSignal(
  parent: AbortSignal,
  clock: Clock,
  ms: number,
  reason: () => unknown,
): DeadlineSignal {
  const child = childSignal(parent);
  if (parent.aborted) return { signal: child.signal, dispose: () => undefined };
  const timer = clock.schedule(ms, () => child.abort(reason()));
  return {
    signal: child.signal,
    dispose: () => {
      timer.cancel();
      child.release();
    },
  };
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts, so that a
 * callee that ignores its signal cannot hold a slot. A late rejection of `promise` is observed
 * and dropped.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
