/**
 * Errors raised while importing blocks into a chain (chain.rlp, or blocks from peers).
 * @module
 */
import { CodedError } from '@ethp2p/base';

/**
 * What went wrong.
 * - `MALFORMED_BLOCK`: bytes that are not a block (`[header, transactions, ommers,
 *   withdrawals?]` in canonical RLP), or a truncated chain file.
 * - `BLOCK_TOO_LARGE`: one block above the import limit.
 * - `UNLINKED_BLOCK`: a block whose parent is not the previous block (wrong parent hash or
 *   number), or is unknown.
 * - `INVALID_BLOCK`: a well-formed block that does not validate or execute; `details` names the
 *   block and the field.
 */
export type ChainErrorCode =
  | 'MALFORMED_BLOCK'
  | 'BLOCK_TOO_LARGE'
  | 'UNLINKED_BLOCK'
  | 'INVALID_BLOCK';

/** Which block failed and where, for ChainError INVALID_BLOCK. */
export interface InvalidBlockDetails {
  /** The block's number. */
  readonly number: bigint;
  /** The block's hash (32 bytes). */
  readonly hash: Uint8Array;
  /**
   * The header field or check that failed: `stateRoot`, `receiptsRoot`, `logsBloom`,
   * `gasUsed`, `requestsHash`, `transactionsRoot`, ..., or `execution` when a transaction
   * cannot be applied at all.
   */
  readonly field: string;
}

/** A chain that cannot be built from the data given. Argument misuse throws TypeError instead. */
export class ChainError extends CodedError<ChainErrorCode> {
  override readonly name = 'ChainError';
  /** For INVALID_BLOCK: the block and the field that failed. */
  readonly details: InvalidBlockDetails | undefined;

  constructor(
    code: ChainErrorCode,
    message: string,
    options?: { cause?: unknown; details?: InvalidBlockDetails },
  ) {
    super(code, message, options);
    this.details = options?.details;
  }
}
