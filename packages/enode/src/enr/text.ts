/**
 * The ENR text form: `enr:` followed by the record's RLP in base64url without padding (EIP-778).
 * @module
 */
import { EnrError } from '../errors.ts';
import { ENR_MAX_SIZE_BYTES } from './codec.ts';

/** Prefix of the text form of a record. */
export const ENR_TEXT_PREFIX = 'enr:';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const MAX_TEXT_CHARS = ENR_TEXT_PREFIX.length + Math.ceil((ENR_MAX_SIZE_BYTES * 4) / 3);

/** `enr:` + unpadded base64url of `bytes`. */
export function encodeEnrText(bytes: Uint8Array): string {
  return (
    ENR_TEXT_PREFIX +
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url')
  );
}

/**
 * The record bytes of an `enr:` text. Only canonical unpadded base64url is accepted.
 * @throws {EnrError} INVALID_TEXT, or TOO_LARGE before decoding anything bigger than a record can be
 */
export function decodeEnrText(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`text: expected string, got ${typeof text}`);
  if (!text.startsWith(ENR_TEXT_PREFIX)) {
    throw new EnrError(
      'INVALID_TEXT',
      `missing '${ENR_TEXT_PREFIX}' prefix for base64-encoded record`,
    );
  }
  if (text.length > MAX_TEXT_CHARS) {
    throw new EnrError('TOO_LARGE', `record bigger than ${ENR_MAX_SIZE_BYTES} bytes`);
  }
  const body = text.slice(ENR_TEXT_PREFIX.length);
  if (!BASE64URL.test(body) || body.length % 4 === 1) {
    throw new EnrError('INVALID_TEXT', 'invalid base64url in record text');
  }
  const bytes = Buffer.from(body, 'base64url');
  // Non-zero unused bits in the last character make a second spelling of the same bytes.
  if (bytes.toString('base64url') !== body) {
    throw new EnrError('INVALID_TEXT', 'non-canonical base64url in record text');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length).slice();
}
