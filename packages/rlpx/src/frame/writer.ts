/**
 * The egress half of the RLPx frame codec: one message in, one encrypted, MAC'd frame out.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */
import type { AesCtr } from '@ethp2p/crypto';
import { HEADER_DATA, HEADER_SIZE, MAC_SIZE, MAX_FRAME_SIZE, roundUp16 } from './constants.ts';
import type { FrameMac } from './mac.ts';
import { encodeMsgCode } from './msg-code.ts';
import type { SnappyCodec } from './snappy.ts';

/**
 * Encodes outgoing messages into frames. Owns the egress AES-256-CTR keystream and the egress
 * MAC state: frames must be written to the socket in the order they were encoded, and only one
 * caller may encode at a time (every call is synchronous, so one event loop turn is enough).
 */
export class FrameWriter {
  readonly #ctr: AesCtr;
  readonly #mac: FrameMac;
  #snappy: SnappyCodec | null = null;

  /**
   * @param ctr the egress AES-256-CTR stream (aes-secret, zero IV), used for every frame
   * @param mac the egress MAC state
   */
  constructor(ctr: AesCtr, mac: FrameMac) {
    this.#ctr = ctr;
    this.#mac = mac;
  }

  /** Whether payloads are snappy-compressed. */
  get snappy(): boolean {
    return this.#snappy !== null;
  }

  /** Compresses every later payload with `codec` (the code stays uncompressed). */
  enableSnappy(codec: SnappyCodec): void {
    this.#snappy = codec;
  }

  /**
   * Encodes one message as a single frame:
   * `header-ct ‖ header-mac ‖ body-ct ‖ frame-mac`, body = `rlp(code) ‖ payload` zero-padded
   * to 16 bytes. The frame goes into the space `sink` returns for its length (a fresh buffer by
   * default), so a caller can lay several frames out in one buffer. The payload is not retained.
   * @throws {RangeError} if `code` is not a non-negative safe integer, or the payload (before
   * or after compression) makes the frame larger than {@link MAX_FRAME_SIZE}
   */
  encode(code: number, payload: Uint8Array, sink: FrameSink = freshFrame): Uint8Array {
    if (payload.length > MAX_FRAME_SIZE) {
      throw new RangeError(
        `payload: expected at most ${MAX_FRAME_SIZE} bytes, got ${payload.length}`,
      );
    }
    // Codes 1..0x7f are their own one-byte RLP, code 0 is 0x80: no allocation for those.
    const codeRlp = code > 0 && code < 0x80 && Number.isInteger(code) ? null : encodeMsgCode(code);
    const codeLength = codeRlp === null ? 1 : codeRlp.length;
    const body = this.#snappy === null ? payload : this.#snappy.compress(payload);
    const size = codeLength + body.length;
    if (size > MAX_FRAME_SIZE) {
      throw new RangeError(`frame-size: expected at most ${MAX_FRAME_SIZE} bytes, got ${size}`);
    }
    const padded = roundUp16(size);
    const bodyStart = HEADER_SIZE + MAC_SIZE;
    const frameMacAt = bodyStart + padded;
    const out = sink(frameMacAt + MAC_SIZE);
    // Lay the header and body plaintext out contiguously at [16, 32 + padded) so one CTR call
    // encrypts both. The sink's space may hold old bytes: every plaintext byte is written.
    const plainStart = HEADER_SIZE;
    out[plainStart] = size >>> 16;
    out[plainStart + 1] = (size >>> 8) & 0xff;
    out[plainStart + 2] = size & 0xff;
    out.set(HEADER_DATA, plainStart + 3);
    out.fill(0, plainStart + 3 + HEADER_DATA.length, bodyStart);
    if (codeRlp === null) out[bodyStart] = code;
    else out.set(codeRlp, bodyStart);
    out.set(body, bodyStart + codeLength);
    out.fill(0, bodyStart + size, frameMacAt);
    const ct = this.#ctr.update(out.subarray(plainStart, frameMacAt));
    out.set(ct.subarray(0, HEADER_SIZE), 0);
    out.set(ct.subarray(HEADER_SIZE), bodyStart);
    out.set(this.#mac.header(ct.subarray(0, HEADER_SIZE)), HEADER_SIZE);
    out.set(this.#mac.frame(out.subarray(bodyStart, frameMacAt)), frameMacAt);
    return out;
  }
}

/**
 * Where {@link FrameWriter.encode} puts a frame: returns `length` writable bytes (their content
 * does not matter) that the caller owns afterwards.
 */
export type FrameSink = (length: number) => Uint8Array;

/** The default sink: a fresh buffer per frame. */
function freshFrame(length: number): Uint8Array {
  return new Uint8Array(length);
}
