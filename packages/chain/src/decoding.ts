/**
 * The decoding boundary of @ethp2p/chain: blocks, headers and transactions are read with the
 * strict reader of `@ethp2p/base/rlp`, and whatever is not one is `ChainError` MALFORMED_BLOCK.
 * Internal.
 * @module
 */
import { RlpError } from '@ethp2p/base/rlp';
import { ChainError } from '@ethp2p/eth/chain';

/** A ChainError MALFORMED_BLOCK: valid RLP that is not the shape of a block, header or transaction. */
export function malformed(message: string): ChainError {
  return new ChainError('MALFORMED_BLOCK', message);
}

/**
 * Runs `read`; an `RlpError` it throws becomes ChainError MALFORMED_BLOCK with the same message
 * and the `RlpError` as `cause`. Anything else passes through.
 * @throws {ChainError} MALFORMED_BLOCK for bad RLP
 */
export function decoding<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw err instanceof RlpError
      ? new ChainError('MALFORMED_BLOCK', err.message, { cause: err })
      : err;
  }
}
