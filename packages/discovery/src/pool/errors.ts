/**
 * Errors of the signature pool: why a piece of signature work was not done.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/**
 * Why a {@link SignaturePoolError} was raised: `SHED` (admission control dropped the work: the
 * pool was saturated and it was worth the least), `CLOSED` (the pool was closed before the work
 * was done), `WORKER_FAILED` (the worker running it died; it is respawned, the work is not
 * retried), `WORKER_MISSING` (the worker script is not built: from the sources, `pnpm build`).
 */
export type SignaturePoolErrorCode = 'SHED' | 'CLOSED' | 'WORKER_FAILED' | 'WORKER_MISSING';

/** The {@link SignaturePoolErrorCode}s by name, for code that branches on them. */
export const SIGNATURE_POOL_ERROR_CODE: { readonly [C in SignaturePoolErrorCode]: C } = {
  SHED: 'SHED',
  CLOSED: 'CLOSED',
  WORKER_FAILED: 'WORKER_FAILED',
  WORKER_MISSING: 'WORKER_MISSING',
};

/** Signature work that was not done: shed under overload, closed, or lost with its worker. */
export class SignaturePoolError extends CodedError<SignaturePoolErrorCode> {
  override readonly name: string = 'SignaturePoolError';
}
