/**
 * Errors of the dial scheduler. Argument misuse throws `TypeError` or `RangeError`.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link DialError} was raised. */
export const DIAL_ERROR_CODE = {
  /** The dial attempt took longer than the dial timeout; it is the abort reason of its signal. */
  TIMEOUT: 'TIMEOUT',
  /** The scheduler stopped: the abort reason of every dial still running, and of `start()`. */
  CLOSED: 'CLOSED',
  /** A static node without an endpoint could not be resolved through the node source. */
  UNRESOLVED: 'UNRESOLVED',
  /** A resolved static node has no usable TCP endpoint, or one outside NetRestrict. */
  NOT_DIALABLE: 'NOT_DIALABLE',
} as const;

/** Why a {@link DialError} was raised. */
export type DialErrorCode = (typeof DIAL_ERROR_CODE)[keyof typeof DIAL_ERROR_CODE];

/**
 * A dial that the scheduler ended itself. Failures of the injected `dial` function are reported
 * as they are (in `dial:done`), not wrapped.
 */
export class DialError extends CodedError<DialErrorCode> {
  override readonly name: string = 'DialError';
}
