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
 * MALFORMED with the same message and the `RlpError` as `cause`; anything else passes through.
 * @throws {EthError} MALFORMED for bad RLP
 */
export function decoding<T>(decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof RlpError) throw new EthError('MALFORMED', err.message, { cause: err });
    throw err;
  }
}
