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
   * Encodes one message as a single frame buffer:
   * `header-ct ‖ header-mac ‖ body-ct ‖ frame-mac`, body = `rlp(code) ‖ payload` zero-padded
   * to 16 bytes. The payload is not retained.
   * @throws {RangeError} if `code` is not a non-negative safe integer, or the payload (before
   * or after compression) makes the frame larger than {@link MAX_FRAME_SIZE}
   */
  encode(code: number, payload: Uint8Array): Uint8Array {
    if (payload.length > MAX_FRAME_SIZE) {
      throw new RangeError(
        `payload: expected at most ${MAX_FRAME_SIZE} bytes, got ${payload.length}`,
      );
    }
    const codeRlp = encodeMsgCode(code);
    const body = this.#snappy === null ? payload : this.#snappy.compress(payload);
    const size = codeRlp.length + body.length;
    if (size > MAX_FRAME_SIZE) {
      throw new RangeError(`frame-size: expected at most ${MAX_FRAME_SIZE} bytes, got ${size}`);
    }
    const padded = roundUp16(size);
    const out = new Uint8Array(HEADER_SIZE + MAC_SIZE + padded + MAC_SIZE);
    // Lay the header and body plaintext out contiguously at [16, 32 + padded) so one CTR call
    // encrypts both; the padding is already zero.
    const plainStart = HEADER_SIZE;
    out[plainStart] = size >>> 16;
    out[plainStart + 1] = (size >>> 8) & 0xff;
    out[plainStart + 2] = size & 0xff;
    out.set(HEADER_DATA, plainStart + 3);
    const bodyStart = HEADER_SIZE + MAC_SIZE;
    out.set(codeRlp, bodyStart);
    out.set(body, bodyStart + codeRlp.length);
    const ct = this.#ctr.update(out.subarray(plainStart, bodyStart + padded));
    out.set(ct.subarray(0, HEADER_SIZE), 0);
    out.set(ct.subarray(HEADER_SIZE), bodyStart);
    out.set(this.#mac.header(out.subarray(0, HEADER_SIZE)), HEADER_SIZE);
    const frameMacAt = bodyStart + padded;
    out.set(this.#mac.frame(out.subarray(bodyStart, frameMacAt)), frameMacAt);
    return out;
  }
}
