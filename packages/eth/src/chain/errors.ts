/**
 * Errors raised while importing blocks into a chain (chain.rlp).
 * @module
 */
import { CodedError } from '@ethp2p/base';

/**
 * What went wrong.
 * - `MALFORMED_BLOCK`: bytes that are not a block (`[header, transactions, ommers,
 *   withdrawals?]` in canonical RLP), or a truncated chain file.
 * - `BLOCK_TOO_LARGE`: one block above the import limit.
 * - `UNLINKED_BLOCK`: a block whose parent is not the previous block (wrong parent hash or
 *   number).
 */
export type ChainErrorCode = 'MALFORMED_BLOCK' | 'BLOCK_TOO_LARGE' | 'UNLINKED_BLOCK';

/** A chain that cannot be built from the data given. Argument misuse throws TypeError instead. */
export class ChainError extends CodedError<ChainErrorCode> {
  override readonly name = 'ChainError';
}
