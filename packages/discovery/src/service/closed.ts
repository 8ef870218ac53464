/**
 * Turning a service's own stop into a `CLOSED` error for its callers, shared by `DiscoveryV4`
 * and `DiscoveryV5`: work that ends because the service signal aborted rejects with
 * {@link DiscoveryError} `CLOSED`, while a caller's own abort passes through unchanged.
 * @module
 */
import { DiscoveryError } from './errors.ts';

/** `err`, or a `CLOSED` error when `err` is the reason of the aborted service signal. */
export function closedError(serviceSignal: AbortSignal, err: unknown): unknown {
  return serviceSignal.aborted && err === serviceSignal.reason
    ? new DiscoveryError('CLOSED', 'discovery stopped', { cause: err })
    : err;
}

/** Yields what `source` yields; its failure from the service's stop becomes `CLOSED`. */
export async function* untilStopped<T>(
  serviceSignal: AbortSignal,
  source: AsyncGenerator<T, void>,
): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw closedError(serviceSignal, err);
  }
}

/** Resolves what `work` resolves; its failure from the service's stop becomes `CLOSED`. */
export async function untilStoppedPromise<T>(
  serviceSignal: AbortSignal,
  work: Promise<T>,
): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw closedError(serviceSignal, err);
  }
}
