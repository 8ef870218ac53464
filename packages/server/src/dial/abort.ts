/**
 * Bounding waits with abort signals. `AbortSignal.any` keeps every child of a long-lived signal
 * alive on Node 20, so these are small and explicit.
 * @module
 */
import type { Clock } from '@ethp2p/base';

/** A signal that aborts with its parent or after a deadline; `dispose()` releases both. */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * A child of `parent` that also aborts with `reason()` after `ms` on `clock`. Call `dispose()`
 * when done: it cancels the timer and removes the listener from `parent`.
 */
export function deadlineSignal(
  parent: AbortSignal,
  clock: Clock,
  ms: number,
  reason: () => unknown,
): DeadlineSignal {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = clock.schedule(ms, () => controller.abort(reason()));
  return {
    signal: controller.signal,
    dispose: () => {
      timer.cancel();
      parent.removeEventListener('abort', onAbort);
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
