/**
 * Where discv4 signature work runs: inline, or on a pool of worker threads.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { InlineSignatures } from './inline.ts';
import type { SignatureRunner } from './types.ts';
import { defaultWorkerCount, SignaturePool } from './worker-pool.ts';

/**
 * The runner for `workers` threads: `0` runs the work inline, `'auto'` sizes the pool to the
 * machine ({@link defaultWorkerCount}).
 * @throws {RangeError} on a negative or fractional count; {SignaturePoolError} `WORKER_MISSING`
 */
export function createSignatureRunner(
  workers: number | 'auto',
  privateKey: Uint8Array,
  logger?: Logger,
): SignatureRunner {
  const count = workers === 'auto' ? defaultWorkerCount() : workers;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`workers: expected a non-negative integer or 'auto', got ${workers}`);
  }
  if (count === 0) return new InlineSignatures(privateKey);
  return new SignaturePool({ workers: count, privateKey, ...(logger ? { logger } : {}) });
}
