/**
 * The one error the RLP codec throws for bad input.
 * @module
 */
import { CodedError } from '../errors.ts';

/**
 * Why bytes were refused:
 * - `TRUNCATED`: the input ends inside an item (or is empty where an item is expected)
 * - `NON_CANONICAL`: a size or integer not in its shortest form (a single byte below 0x80
 *   wrapped in a string header, the long form for fewer than 56 bytes, leading zeros)
 * - `TRAILING_BYTES`: bytes after the one item the input should hold
 * - `UNEXPECTED`: valid RLP of the wrong shape (a list where a string belongs, the wrong number
 *   of elements or bytes, an integer too wide for its field)
 * - `TOO_LARGE`: a list with more elements, or nesting deeper, than the caller's limit allows;
 *   raised at the first element past the limit, before the rest is read
 */
export type RlpErrorCode =
  | 'TRUNCATED'
  | 'NON_CANONICAL'
  | 'TRAILING_BYTES'
  | 'UNEXPECTED'
  | 'TOO_LARGE';

/**
 * Bytes that are not the canonical RLP of the expected shape. The message names the field
 * (`"status.td: integer has leading zeros"`). Packages wrap it in their own error at their
 * decoding boundary, keeping it as the `cause`.
 */
export class RlpError extends CodedError<RlpErrorCode> {
  override readonly name = 'RlpError';
}
