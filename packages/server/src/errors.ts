/**
 * Errors raised by @ethp2p/server, and the one mapping from any error to the disconnect reason
 * a peer is dropped with (geth `p2p/peer_error.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */
import { CodedError } from '@ethp2p/base';
import { RlpxError } from '@ethp2p/rlpx';
import {
  DiscReason,
  type DiscReasonName,
  discReasonName,
  discReasonText,
} from './wire/disc-reason.ts';

/** Options of {@link PeerError}. */
export interface PeerErrorOptions {
  /** True when the remote sent the Disconnect (default false). */
  readonly remoteRequested?: boolean;
  readonly cause?: unknown;
}

/**
 * A reason to drop a peer: the remote broke the base protocol (a bad Hello, an out-of-range
 * code, an undecodable message), a check failed, or the remote sent a Disconnect
 * (`remoteRequested`). `code` is the name of `reason` (`'ProtocolError'`, ...), and the
 * message defaults to geth's text for it.
 */
export class PeerError extends CodedError<DiscReasonName> {
  override readonly name: string = 'PeerError';
  /** The reason the peer is (or was) disconnected with. */
  readonly reason: DiscReason;
  /** True when the remote sent the Disconnect; false when we decided to disconnect. */
  readonly remoteRequested: boolean;

  constructor(reason: DiscReason, message?: string, options: PeerErrorOptions = {}) {
    super(
      discReasonName(reason),
      message ?? discReasonText(reason),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.reason = reason;
    this.remoteRequested = options.remoteRequested ?? false;
  }
}

/** Why a {@link MsgError} was raised. */
export const MSG_ERROR_CODE = {
  /** The message stream (peer or pipe) is closed: every pending and later call rejects. */
  CLOSED: 'CLOSED',
  /** A protocol wrote a code outside its code space (a local bug; the peer stays up). */
  INVALID_CODE: 'INVALID_CODE',
  /** `expectMsg` read a message other than the one it expected. */
  UNEXPECTED_MSG: 'UNEXPECTED_MSG',
} as const;

/** Why a {@link MsgError} was raised. */
export type MsgErrorCode = (typeof MSG_ERROR_CODE)[keyof typeof MSG_ERROR_CODE];

/** A failed call on a `MsgReadWriter` (a peer's protocol stream or a `msgPipe` end). */
export class MsgError extends CodedError<MsgErrorCode> {
  override readonly name: string = 'MsgError';
}

/**
 * The reason a peer is dropped with for `err` (geth `discReasonForError`):
 * - a {@link PeerError} keeps its reason (a remote Disconnect, a bad Hello, an out-of-range
 *   code or an undecodable message, which are `ProtocolError`);
 * - an `RlpxError` (a read or write failure, a bad frame, a timeout, a closed socket) is
 *   `NetworkError`, which is never announced with a Disconnect. The peer's read loop maps its
 *   own read idle timeout to `ReadTimeout` before it gets here;
 * - anything else (whatever a subprotocol throws, a {@link MsgError}) is `SubprotocolError`.
 *
 * A protocol's `run()` returning is `ClientQuitting`; that is not an error and is handled by
 * the peer.
 */
export function discReasonForError(err: unknown): DiscReason {
  if (err instanceof PeerError) return err.reason;
  if (err instanceof RlpxError) return DiscReason.NetworkError;
  return DiscReason.SubprotocolError;
}
