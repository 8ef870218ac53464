/**
 * Errors raised by @ethp2p/enode for bad data: records, enode URLs and stored nodes.
 * Argument misuse (wrong types, out-of-range numbers) throws `TypeError` or `RangeError` instead.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** What is wrong with an ENR, for code that branches on it. */
export type EnrErrorCode =
  /** The signature does not verify under the record's identity scheme. */
  | 'INVALID_SIGNATURE'
  /** Keys are not in strictly ascending byte order. */
  | 'UNSORTED_KEYS'
  /** A key appears twice. */
  | 'DUPLICATE_KEY'
  /** The encoded record is bigger than 300 bytes. */
  | 'TOO_LARGE'
  /** Bytes follow the record's RLP list. */
  | 'TRAILING_BYTES'
  /** The bytes are not a canonical RLP `[sig, seq, k, v, ...]` list. */
  | 'MALFORMED'
  /** The `id` entry is missing or names a scheme other than "v4". */
  | 'UNKNOWN_SCHEME'
  /** A standard entry (`secp256k1`, `ip`, `tcp`, ...) is missing or has a malformed value. */
  | 'INVALID_ENTRY'
  /** The `enr:` text form is missing its prefix or is not unpadded base64url. */
  | 'INVALID_TEXT';

/** A node record (EIP-778) that cannot be decoded, verified, read or signed. */
export class EnrError extends CodedError<EnrErrorCode> {
  override readonly name = 'EnrError';
}

/** What is wrong with an enode URL, for code that branches on it. */
export type EnodeUrlErrorCode =
  /** The text does not start with `enode://` (or `enr:` where both are accepted). */
  | 'MISSING_PREFIX'
  /** The public key is not 128 hex characters of a point on secp256k1. */
  | 'INVALID_PUBLIC_KEY'
  /** The host is neither an IP address nor a DNS name. */
  | 'INVALID_HOST'
  /** The TCP port is missing or not a decimal number in 0–65535. */
  | 'INVALID_PORT'
  /** The `discport` query parameter is not a decimal number in 0–65535. */
  | 'INVALID_DISCPORT';

/** An enode URL (`enode://<pubkey>@host:port?discport=udp`) that cannot be parsed. */
export class EnodeUrlError extends CodedError<EnodeUrlErrorCode> {
  override readonly name = 'EnodeUrlError';
}

/** What is wrong with a node key file, for code that branches on it. */
export type NodeKeyErrorCode =
  /** There is no file at the path. */
  | 'NOT_FOUND'
  /** The file is not 64 hex characters of a valid secp256k1 private key. */
  | 'INVALID_KEY'
  /** The file could not be read or written (permissions, a directory in the way, ...). */
  | 'IO';

/** A node key file that cannot be read, parsed or written. */
export class NodeKeyError extends CodedError<NodeKeyErrorCode> {
  override readonly name = 'NodeKeyError';
  /** The file the error is about. */
  readonly path: string;

  constructor(
    code: NodeKeyErrorCode,
    path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.path = path;
  }
}
