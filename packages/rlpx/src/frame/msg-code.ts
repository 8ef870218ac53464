/**
 * The message code at the start of every frame body: an RLP-encoded unsigned integer
 * (code 0 is `0x80`, codes below 0x80 are one byte), read and written with `@ethp2p/base/rlp`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */
import { encodeUint, RlpError, type RlpItem, readBigUint, readItem } from '@ethp2p/base/rlp';
import { RlpxError } from '../errors.ts';

/** Most bytes a decodable code's big-endian form may take (keeps it a safe integer). */
const MAX_CODE_BYTES = 7;

/**
 * `rlp(code)`.
 * @throws {RangeError} if `code` is not a non-negative safe integer
 */
export function encodeMsgCode(code: number): Uint8Array {
  if (!Number.isSafeInteger(code) || code < 0) {
    throw new RangeError(`code: expected a non-negative safe integer, got ${code}`);
  }
  return encodeUint(code);
}

/** A decoded message code and how many bytes its RLP form took. */
export interface DecodedMsgCode {
  /** The message code. */
  readonly code: number;
  /** Bytes of `rlp(code)` at the start of the input. */
  readonly length: number;
}

/**
 * Reads the canonical `rlp(code)` at the start of a frame body.
 * @throws {RlpxError} BAD_FRAME if the body is empty, starts with a list, or the integer is
 * truncated, non-canonical or above `Number.MAX_SAFE_INTEGER`
 */
export function readMsgCode(body: Uint8Array): DecodedMsgCode {
  // Every code in use is one byte (1–0x7f) or 0x80 (code 0): read those without the reader.
  const first = body[0];
  if (first !== undefined && first !== 0 && first <= 0x80) return { code: first & 0x7f, length: 1 };
  let item: RlpItem;
  let code: bigint;
  try {
    item = readItem(body, 0);
    code = readBigUint(item, MAX_CODE_BYTES, 'message code');
  } catch (err) {
    if (err instanceof RlpError) {
      throw new RlpxError('BAD_FRAME', `invalid message code: ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (code > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RlpxError('BAD_FRAME', 'invalid message code: above the safe integer range');
  }
  return { code: Number(code), length: item.raw.length };
}
