/**
 * Deadlines under a long-lived signal without `AbortSignal.any` + `AbortSignal.timeout`, whose
 * timeout signal Node 20 may collect before it fires (the composite then never aborts).
 * @module
 */
import { childSignal } from '@ethp2p/base';

/**
 * Runs `run` with a signal that aborts when `parent` does or after `ms`, whichever comes first;
 * the timer and the link to `parent` are released when `run` settles.
 */
export async function withDeadline<T>(
  parent: AbortSignal,
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const child = childSignal(parent);
  const timer = setTimeout(() => child.abort(new Error(`deadline of ${ms} ms passed`)), ms);
  try {
    return await run(child.signal);
  } finally {
    clearTimeout(timer);
    child.release();
  }
}
