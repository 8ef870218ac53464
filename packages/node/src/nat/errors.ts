/**
 * Why a NAT method failed: gateways are untrusted, so every bad answer ends here.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link NatError} was raised. */
export const NAT_ERROR_CODE = {
  /** The gateway or STUN server did not answer in time. */
  TIMEOUT: 'TIMEOUT',
  /** The answer could not be decoded (truncated, wrong version, wrong transaction). */
  BAD_REPLY: 'BAD_REPLY',
  /** The gateway answered with an error (a NAT-PMP result code, a SOAP fault, a STUN error). */
  GATEWAY_ERROR: 'GATEWAY_ERROR',
  /** No gateway was found or the socket failed. */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;

/** Why a {@link NatError} was raised. */
export type NatErrorCode = (typeof NAT_ERROR_CODE)[keyof typeof NAT_ERROR_CODE];

/** A failed NAT request: `new NatError('TIMEOUT', 'nat-pmp gateway 192.168.1.1 did not answer')`. */
export class NatError extends CodedError<NatErrorCode> {
  override readonly name: string = 'NatError';
}
