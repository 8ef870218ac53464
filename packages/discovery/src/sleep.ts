/**
 * Waiting on the injected clock (STYLE §5: `timers/promises` cannot follow a simulated clock).
 * @module
 */
import type { Clock } from '@ethp2p/enode';

/**
 * Resolves after `ms` on `clock` (at once when `ms` ≤ 0). Aborting `signal` cancels the timer and
 * rejects with `signal.reason`; an already aborted signal rejects at once.
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
