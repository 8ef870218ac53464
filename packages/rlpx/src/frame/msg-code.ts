/**
 * The message code at the start of every frame body: an RLP-encoded unsigned integer
 * (code 0 is `0x80`, codes below 0x80 are one byte).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */
import { RlpxError, type RlpxErrorCode } from '../errors.ts';

/** Code for a frame whose (authenticated) body does not start with a valid message code. */
const MALFORMED_FRAME: RlpxErrorCode = 'BAD_FRAME';

/** Most bytes a decodable code's big-endian form may take (keeps it a safe integer). */
const MAX_CODE_BYTES = 7;

/** Bytes `rlp(code)` takes; `code` must be a non-negative safe integer. */
export function msgCodeLength(code: number): number {
  if (code > 0 && code < 0x80) return 1;
  let n = 0;
  for (let v = code; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

/**
 * Writes `rlp(code)` at `out[offset]` and returns its length.
 * @throws {RangeError} if `code` is not a non-negative safe integer
 */
export function writeMsgCode(code: number, out: Uint8Array, offset: number): number {
  if (!Number.isSafeInteger(code) || code < 0) {
    throw new RangeError(`code: expected a non-negative safe integer, got ${code}`);
  }
  const len = msgCodeLength(code);
  if (len === 1) {
    out[offset] = code === 0 ? 0x80 : code;
    return 1;
  }
  out[offset] = 0x80 + len - 1;
  for (let i = len - 1, v = code; i > 0; i--, v = Math.floor(v / 256)) {
    out[offset + i] = v % 256;
  }
  return len;
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
 * @throws {RlpxError} BAD_FRAME if the body is empty, starts with a list or a long string, or
 * the integer is non-canonical or above `Number.MAX_SAFE_INTEGER`
 */
export function readMsgCode(body: Uint8Array): DecodedMsgCode {
  const first = body[0];
  if (first === undefined) throw badCode('empty frame body');
  if (first < 0x80) return { code: first, length: 1 };
  const n = first - 0x80;
  if (n > MAX_CODE_BYTES) throw badCode(`prefix 0x${first.toString(16)}`);
  if (body.length < 1 + n) throw badCode('truncated');
  let code = 0;
  for (let i = 1; i <= n; i++) code = code * 256 + (body[i] as number);
  // Canonical: no leading zero byte, and a single byte below 0x80 is never prefixed.
  if ((n > 0 && body[1] === 0) || (n === 1 && code < 0x80)) throw badCode('non-canonical');
  if (!Number.isSafeInteger(code)) throw badCode('above the safe integer range');
  return { code, length: 1 + n };
}

function badCode(detail: string): RlpxError {
  return new RlpxError(MALFORMED_FRAME, `invalid message code: ${detail}`);
}
