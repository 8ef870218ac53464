/**
 * Errors raised by @ethp2p/rlpx: one class with a code per failure, so callers (and the
 * disconnect-reason mapping of the server) can branch on what went wrong.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */
import { CodedError } from '@ethp2p/base';

/**
 * What went wrong.
 * - ECIES: `ECIES_TOO_SHORT` (input shorter than the 113-byte overhead), `BAD_KEY` (an invalid
 *   ephemeral or static public key), `BAD_MAC` (the ECIES tag does not match).
 * - Handshake: `BAD_HANDSHAKE` (a malformed auth/ack body or packet), `BAD_SIGNATURE` (the auth
 *   signature does not recover a key), `MESSAGE_TOO_BIG` (size prefix above the 2048-byte cap).
 * - Frames: `FRAME_TOO_LARGE`, `BAD_HEADER_MAC`, `BAD_FRAME_MAC`, `BAD_FRAME` (an authenticated
 *   body that does not start with a valid message code), `SNAPPY`.
 * - Connection: `TIMEOUT`, `CLOSED`.
 */
export type RlpxErrorCode =
  | 'ECIES_TOO_SHORT'
  | 'BAD_KEY'
  | 'BAD_MAC'
  | 'BAD_HANDSHAKE'
  | 'BAD_SIGNATURE'
  | 'MESSAGE_TOO_BIG'
  | 'FRAME_TOO_LARGE'
  | 'BAD_HEADER_MAC'
  | 'BAD_FRAME_MAC'
  | 'BAD_FRAME'
  | 'SNAPPY'
  | 'TIMEOUT'
  | 'CLOSED';

/**
 * A protocol failure in RLPx: bad bytes from the peer, a failed check, or a closed connection.
 * Argument misuse by the caller throws `TypeError`/`RangeError` instead.
 */
export class RlpxError extends CodedError<RlpxErrorCode> {
  override readonly name = 'RlpxError';
}
