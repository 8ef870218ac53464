/**
 * Errors of the signature pool: why a piece of signature work was not done.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link SignaturePoolError} was raised, for code that branches on it. */
export const SIGNATURE_POOL_ERROR_CODE = {
  /** Admission control dropped the work: the pool was saturated and it was worth the least. */
  SHED: 'SHED',
  /** The pool was closed before the work was done. */
  CLOSED: 'CLOSED',
  /** The worker running the work died (it is respawned; the work is not retried). */
  WORKER_FAILED: 'WORKER_FAILED',
  /** The worker script is not built (running from the sources: `pnpm build` first). */
  WORKER_MISSING: 'WORKER_MISSING',
} as const;

/** Why a {@link SignaturePoolError} was raised. */
export type SignaturePoolErrorCode =
  (typeof SIGNATURE_POOL_ERROR_CODE)[keyof typeof SIGNATURE_POOL_ERROR_CODE];

/** Signature work that was not done: shed under overload, closed, or lost with its worker. */
export class SignaturePoolError extends CodedError<SignaturePoolErrorCode> {
  override readonly name: string = 'SignaturePoolError';
}
