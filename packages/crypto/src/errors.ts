/**
 * Errors raised by @ethp2p/crypto.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** What went wrong, for code that branches on it. */
export type CryptoErrorCode =
  | 'INVALID_PRIVATE_KEY'
  | 'INVALID_PUBLIC_KEY'
  | 'INVALID_SIGNATURE'
  | 'BACKEND_UNAVAILABLE';

/** A key, signature or backend that cannot be used. Argument misuse throws TypeError instead. */
export class CryptoError extends CodedError<CryptoErrorCode> {
  override readonly name = 'CryptoError';
}
