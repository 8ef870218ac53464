/**
 * Errors of the eth peer layer: failed requests and response violations, Status mismatches, and
 * PeerSet misuse. The protocol handler wraps the ones that end a peer in a `PeerError` carrying
 * the disconnect reason.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import { CodedError } from '@ethp2p/base';
import { DiscReason, PeerError } from '@ethp2p/server';
import { EthError } from '../errors.ts';

/** Why a request failed. */
export const REQUEST_ERROR_CODE = {
  /** No response arrived in time (the peer stays connected, as in geth). */
  TIMEOUT: 'TIMEOUT',
  /** The peer already has the most requests in flight it may have. */
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  /** The peer left before the response arrived. */
  CLOSED: 'CLOSED',
  /** A response carried a request id with no request in flight (ends the peer). */
  UNKNOWN_REQUEST: 'UNKNOWN_REQUEST',
  /** A response of another kind than the request asked for (ends the peer). */
  WRONG_RESPONSE: 'WRONG_RESPONSE',
  /** A response with more items than the request asked for (ends the peer). */
  TOO_MANY_ITEMS: 'TOO_MANY_ITEMS',
  /**
   * A response whose content breaks the protocol's rules: an eth/70 partial receipt list past
   * the EIP-7975 bounds, cells not asked for (ends the peer with SubprotocolError).
   */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** eth/70: a block's receipts did not arrive within the continuation requests allowed. */
  INCOMPLETE: 'INCOMPLETE',
} as const;

/** Why a request failed. */
export type RequestErrorCode = (typeof REQUEST_ERROR_CODE)[keyof typeof REQUEST_ERROR_CODE];

/**
 * A request that failed, or a response that broke the request rules. The violation codes
 * (`UNKNOWN_REQUEST`, `WRONG_RESPONSE`, `TOO_MANY_ITEMS`, `INVALID_RESPONSE`) end the peer; an
 * aborted request rejects with its signal's reason instead.
 */
export class RequestError extends CodedError<RequestErrorCode> {
  override readonly name: string = 'RequestError';
}

/** Why a remote Status was refused. */
export const STATUS_ERROR_CODE = {
  /** The first message was not Status. */
  NO_STATUS: 'NO_STATUS',
  /** The Status version is not the negotiated one. */
  VERSION_MISMATCH: 'VERSION_MISMATCH',
  NETWORK_ID_MISMATCH: 'NETWORK_ID_MISMATCH',
  GENESIS_MISMATCH: 'GENESIS_MISMATCH',
  /** The local fork ID filter rejects the remote fork ID (EIP-2124). */
  FORK_ID_REJECTED: 'FORK_ID_REJECTED',
  /** eth/69: earliest above latest, or a zero latest hash. */
  INVALID_BLOCK_RANGE: 'INVALID_BLOCK_RANGE',
  /** eth/68: a total difficulty over 100 bits. */
  TD_TOO_LARGE: 'TD_TOO_LARGE',
} as const;

/** Why a remote Status was refused. */
export type StatusErrorCode = (typeof STATUS_ERROR_CODE)[keyof typeof STATUS_ERROR_CODE];

/** A remote Status that fails a check; it ends the peer with SubprotocolError. */
export class StatusError extends CodedError<StatusErrorCode> {
  override readonly name: string = 'StatusError';
}

/** Why a {@link PeerSet} call failed. */
export const PEER_SET_ERROR_CODE = {
  ALREADY_REGISTERED: 'ALREADY_REGISTERED',
  NOT_REGISTERED: 'NOT_REGISTERED',
  /** The set was closed: no peer can join any more. */
  CLOSED: 'CLOSED',
} as const;

/** Why a {@link PeerSet} call failed. */
export type PeerSetErrorCode = (typeof PEER_SET_ERROR_CODE)[keyof typeof PEER_SET_ERROR_CODE];

/** A refused PeerSet change. */
export class PeerSetError extends CodedError<PeerSetErrorCode> {
  override readonly name: string = 'PeerSetError';
}

/**
 * The `PeerError` that drops a peer for an undecodable eth message: a malformed payload, an
 * unknown code or an oversized message (an `EthError` from the codecs) is ProtocolError, as a
 * breach of protocol; a list past its limit (`TOO_MANY_ITEMS`) is SubprotocolError, as geth's
 * handlers end a peer for too many items. Anything else is returned unchanged.
 */
export function asProtocolError(err: unknown): unknown {
  if (err instanceof EthError && DECODE_ERRORS.has(err.code)) {
    return new PeerError(DiscReason.ProtocolError, `eth: ${err.message}`, { cause: err });
  }
  if (err instanceof EthError && err.code === 'TOO_MANY_ITEMS') {
    // geth: "too many transactions", or a response with more items than asked for.
    return new PeerError(DiscReason.SubprotocolError, `eth: ${err.message}`, { cause: err });
  }
  return err;
}

const DECODE_ERRORS: ReadonlySet<string> = new Set(['MALFORMED', 'UNKNOWN_CODE', 'TOO_LARGE']);
