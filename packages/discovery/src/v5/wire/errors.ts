/**
 * The error of the discv5 wire codec. Encoding misuse throws `TypeError` or `RangeError` instead.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link WireV5Error} was raised. */
export const WIRE_V5_ERROR_CODE = {
  /** Shorter than 63 bytes, or too short for its header, authdata or message. */
  TOO_SMALL: 'TOO_SMALL',
  /** Longer than 1280 bytes; nothing else was checked. */
  TOO_LARGE: 'TOO_LARGE',
  /** The unmasked header does not start with "discv5" and a version of at least 1. */
  BAD_HEADER: 'BAD_HEADER',
  /** The flag byte is not 0, 1 or 2. */
  BAD_FLAG: 'BAD_FLAG',
  /** The authdata has the wrong size for its flag, or sizes beyond the packet. */
  BAD_AUTHDATA: 'BAD_AUTHDATA',
  /** The message plaintext is empty or its type byte is not a known message. */
  UNKNOWN_MESSAGE: 'UNKNOWN_MESSAGE',
  /** The message body is not canonical RLP of the shape its type requires. */
  MALFORMED: 'MALFORMED',
} as const;

/** Why a {@link WireV5Error} was raised. */
export type WireV5ErrorCode = (typeof WIRE_V5_ERROR_CODE)[keyof typeof WIRE_V5_ERROR_CODE];

/**
 * A discv5 packet or message that cannot be decoded. The decoders throw nothing else for bad
 * input, so a socket handler can count and drop it.
 */
export class WireV5Error extends CodedError<WireV5ErrorCode> {
  override readonly name: string = 'WireV5Error';
}
