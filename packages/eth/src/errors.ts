/**
 * Errors raised by @ethp2p/eth: one class with a code per failure, so the protocol handler can
 * branch on what went wrong and pick the disconnect reason.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import { CodedError } from '@ethp2p/base';

/**
 * What went wrong.
 * - Messages: `MALFORMED` (a payload that is not valid RLP or not the message's shape),
 *   `UNKNOWN_CODE` (a code the negotiated version does not define), `TOO_LARGE` (a message above
 *   the 10 MiB limit). geth ends the peer with ProtocolError (0x02) for all three.
 */
export type EthErrorCode =
  | 'MALFORMED'
  | 'UNKNOWN_CODE'
  | 'TOO_LARGE'
  /**
   * A list longer than its message allows (more than 5000 transactions, 1024 headers, ...; see
   * `messages/limits.ts`), refused at the first element past the limit. geth ends the peer with
   * SubprotocolError (0x10) for too many transactions or response items, and so do we.
   */
  | 'TOO_MANY_ITEMS'
  /** A fork ID the local filter rejects (EIP-2124; geth DiscSubprotocolError). */
  | 'LOCAL_INCOMPATIBLE_OR_STALE'
  | 'REMOTE_STALE'
  /** A genesis.json that cannot be read (bad JSON, missing or malformed field). */
  | 'INVALID_GENESIS';

/**
 * A protocol failure in eth: bad bytes or a failed check on what a peer sent. Argument misuse by
 * the caller throws `TypeError`/`RangeError` instead.
 */
export class EthError extends CodedError<EthErrorCode> {
  override readonly name = 'EthError';
}
