/**
 * Errors raised by the discv4 datagram transport and the reply matcher.
 * Argument misuse (a bad port, a non-IP address, a negative timeout) throws `TypeError` or
 * `RangeError` instead.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link TransportError} was raised, for code that branches on it. */
export const TRANSPORT_ERROR_CODE = {
  /** The UDP socket could not be bound (port in use, address not local, bad address). */
  BIND_FAILED: 'BIND_FAILED',
  /** No (complete) reply arrived before the deadline (geth `errTimeout`). */
  TIMEOUT: 'TIMEOUT',
  /** The deadline lay too far in the future: the clock jumped backwards (geth `errClockWarp`). */
  CLOCK_WARP: 'CLOCK_WARP',
  /** The socket or the reply matcher was closed (geth `errClosed`). */
  CLOSED: 'CLOSED',
  /** The reply matcher already holds its maximum number of pending requests. */
  TOO_MANY_PENDING: 'TOO_MANY_PENDING',
} as const;

/** Why a {@link TransportError} was raised. */
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODE)[keyof typeof TRANSPORT_ERROR_CODE];

/**
 * A transport failure the caller can act on: binding a socket, or waiting for a reply.
 * Errors on already bound sockets are never thrown: they are counted and logged.
 */
export class TransportError extends CodedError<TransportErrorCode> {
  override readonly name: string = 'TransportError';
}
