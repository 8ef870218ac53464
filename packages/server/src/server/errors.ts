/**
 * Errors of the {@link Server} lifecycle.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link ServerError} was raised. */
export const SERVER_ERROR_CODE = {
  /** `start()` after `stop()`: a server runs once. */
  CLOSED: 'CLOSED',
  /** The listen address could not be bound (the cause says why, e.g. `EADDRINUSE`). */
  LISTEN_FAILED: 'LISTEN_FAILED',
} as const;

/** Why a {@link ServerError} was raised. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODE)[keyof typeof SERVER_ERROR_CODE];

/** A lifecycle failure of the server. Argument misuse throws TypeError or RangeError instead. */
export class ServerError extends CodedError<ServerErrorCode> {
  override readonly name: string = 'ServerError';
}
