/**
 * The decoding boundary of the package: every public decoder reads bytes with the strict RLP
 * reader of `@ethp2p/base/rlp` and reports bad input as `EthError` MALFORMED. Internal.
 * @module
 */
import { RlpError } from '@ethp2p/base/rlp';
import { EthError } from './errors.ts';

/** An EthError MALFORMED: valid RLP that is not the shape a message or block needs. */
export function malformed(message: string): EthError {
  return new EthError('MALFORMED', message);
}

/**
 * Runs `decode` at a public decoding boundary: an `RlpError` from the reader becomes `EthError`
 * MALFORMED (TOO_MANY_ITEMS for a list past its limit) with the same message and the `RlpError`
 * as `cause`; anything else passes through.
 * @throws {EthError} MALFORMED for bad RLP, TOO_MANY_ITEMS for a list past its limit
 */
export function decoding<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof RlpError) {
      const code = err.code === 'TOO_LARGE' ? 'TOO_MANY_ITEMS' : 'MALFORMED';
      throw new EthError(code, err.message, { cause: err });
    }
    throw err;
  }
}
