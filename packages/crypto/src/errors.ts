/**
 * Errors raised by @ethp2p/crypto.
 * @module
 */

/** What went wrong, for code that branches on it. */
export type CryptoErrorCode =
  | 'INVALID_PRIVATE_KEY'
  | 'INVALID_PUBLIC_KEY'
  | 'INVALID_SIGNATURE'
  | 'BACKEND_UNAVAILABLE';

/**
 * The base of every ethp2p error class: an `Error` with a typed `code` to branch on and an
 * optional `cause`. Each package subclasses it with its own `name` and code union (STYLE §4).
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A key, signature or backend that cannot be used. Argument misuse throws TypeError instead. */
export class CryptoError extends CodedError<CryptoErrorCode> {
  override readonly name = 'CryptoError';
}
