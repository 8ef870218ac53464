/**
 * Errors raised by the discv4 wire codec for bad datagrams.
 * Argument misuse when encoding (wrong types, out-of-range numbers) throws `TypeError` or
 * `RangeError` instead.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link WireError} was raised. */
export const WIRE_ERROR_CODE = {
  /** The datagram is shorter than 98 bytes (hash, signature, type and at least one body byte). */
  TOO_SMALL: 'TOO_SMALL',
  /** The datagram is longer than `MAX_DATAGRAM_SIZE`; nothing else was checked. */
  TOO_LARGE: 'TOO_LARGE',
  /** The leading 32 bytes are not keccak256 of the rest of the datagram. */
  BAD_HASH: 'BAD_HASH',
  /** No public key can be recovered from the signature. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** The type byte is not one of the six discv4 packet types. */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** The body is not canonical RLP of the shape the packet type requires. */
  MALFORMED: 'MALFORMED',
  /** The record in an ENRResponse is not a valid, correctly signed "v4" ENR. */
  BAD_RECORD: 'BAD_RECORD',
} as const;

/** Why a {@link WireError} was raised. */
export type WireErrorCode = (typeof WIRE_ERROR_CODE)[keyof typeof WIRE_ERROR_CODE];

/**
 * A discv4 datagram that cannot be decoded or verified. `decodePacket` throws nothing else for
 * bad input, so a socket handler can count and drop it.
 */
export class WireError extends CodedError<WireErrorCode> {
  override readonly name: string = 'WireError';
}
