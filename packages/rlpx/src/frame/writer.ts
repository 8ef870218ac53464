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
 * Most plaintext bytes {@link FrameWriter.seal} encrypts in one AES-CTR call: the header and
 * body of consecutive small queued frames, gathered into one scratch buffer shared by every
 * writer (a seal runs to completion synchronously).
 */
export const SEAL_RUN_BYTES: number = 16 * 1024;

/**
 * Frames with more plaintext (header and body) than this are encrypted on their own, in place:
 * for them one AES-CTR call each costs less than gathering and scattering their bytes (measured
 * in `pnpm bench rlpx`: runs of 16 KiB frames were ~6% slower, runs of 1 KiB ones faster).
 */
export const SEAL_FRAME_MAX_BYTES: number = 4 * 1024;

/** The shared scratch of {@link FrameWriter.seal}, made on first use. */
let scratch = new Uint8Array(0);

/** Where the header MAC starts, the body starts, and the header plaintext waits (see `#layout`). */
const BODY_START = HEADER_SIZE + MAC_SIZE;

/**
 * Encodes outgoing messages into frames. Owns the egress AES-256-CTR keystream and the egress
 * MAC state: frames must be written to the socket in the order they were encoded, and only one
 * caller may encode at a time (every call is synchronous, so one event loop turn is enough).
 *
 * A frame is either encoded at once ({@link FrameWriter.encode}) or queued
 * ({@link FrameWriter.queue}) and encrypted and MAC'd later, with the other queued frames, by
 * {@link FrameWriter.seal}: one AES-CTR call for a run of small frames instead of one each (the
 * keystream is contiguous over their headers and bodies), which is what a connection batching
 * the frames of one tick does. Large frames cost one call each either way.
 */
export class FrameWriter {
  readonly #ctr: AesCtr;
  readonly #mac: FrameMac;
  #snappy: SnappyCodec | null = null;
  /** Frames laid out by `queue` and not sealed yet, in order. */
  #queued: Uint8Array[] = [];

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

  /** Frames queued and not sealed yet. */
  get queued(): number {
    return this.#queued.length;
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
   * Queued frames are sealed first, so frames keep their order.
   * @throws {RangeError} if `code` is not a non-negative safe integer, or the payload (before
   * or after compression) makes the frame larger than {@link MAX_FRAME_SIZE}
   */
  encode(code: number, payload: Uint8Array, sink: FrameSink = freshFrame): Uint8Array {
    this.seal();
    const out = this.#layout(code, payload, sink);
    this.#sealOne(out);
    return out;
  }

  /**
   * Lays one message out as a frame in the space `sink` returns, like
   * {@link FrameWriter.encode}, but leaves it unencrypted and without MACs until the next
   * {@link FrameWriter.seal} (or `encode`): the space must not be read or handed on before
   * then. Returns the frame's length on the wire.
   * @throws {RangeError} like {@link FrameWriter.encode}
   */
  queue(code: number, payload: Uint8Array, sink: FrameSink): number {
    const out = this.#layout(code, payload, sink);
    this.#queued.push(out);
    return out.length;
  }

  /**
   * Encrypts and MACs every queued frame in place, in queue order: consecutive frames of at
   * most {@link SEAL_FRAME_MAX_BYTES} share one AES-CTR call up to {@link SEAL_RUN_BYTES} of
   * plaintext, larger ones get one each. Does nothing when none is queued.
   */
  seal(): void {
    const frames = this.#queued;
    if (frames.length === 0) return;
    this.#queued = [];
    // Runs of consecutive small frames, each up to SEAL_RUN_BYTES; large frames alone.
    let first = 0;
    let bytes = 0;
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i] as Uint8Array;
      const plain = frame.length - 2 * MAC_SIZE;
      const alone = plain > SEAL_FRAME_MAX_BYTES;
      if (i > first && (alone || bytes + plain > SEAL_RUN_BYTES)) {
        this.#sealRun(frames, first, i, bytes);
        first = i;
        bytes = 0;
      }
      if (alone) {
        this.#sealOne(frame);
        first = i + 1;
      } else {
        bytes += plain;
      }
    }
    if (first < frames.length) this.#sealRun(frames, first, frames.length, bytes);
  }

  /**
   * Validates, compresses and reserves a frame and writes its plaintext: the header at
   * [0, 16), the body (code, payload, zero padding) at [32, 32 + padded). The MAC slots are
   * left as they are.
   */
  #layout(code: number, payload: Uint8Array, sink: FrameSink): Uint8Array {
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
    const frameMacAt = BODY_START + roundUp16(size);
    const out = sink(frameMacAt + MAC_SIZE);
    // The sink's space may hold old bytes: every plaintext byte is written.
    out[0] = size >>> 16;
    out[1] = (size >>> 8) & 0xff;
    out[2] = size & 0xff;
    out.set(HEADER_DATA, 3);
    out.fill(0, 3 + HEADER_DATA.length, HEADER_SIZE);
    if (codeRlp === null) out[BODY_START] = code;
    else out.set(codeRlp, BODY_START);
    out.set(body, BODY_START + codeLength);
    out.fill(0, BODY_START + size, frameMacAt);
    return out;
  }

  /** Encrypts frames `[from, to)` of `frames` (`bytes` of header and body) and MACs them. */
  #sealRun(frames: readonly Uint8Array[], from: number, to: number, bytes: number): void {
    if (to - from === 1) {
      this.#sealOne(frames[from] as Uint8Array);
      return;
    }
    if (scratch.length < bytes) scratch = new Uint8Array(SEAL_RUN_BYTES);
    let at = 0;
    for (let i = from; i < to; i++) {
      const out = frames[i] as Uint8Array;
      scratch.set(out.subarray(0, HEADER_SIZE), at);
      scratch.set(out.subarray(BODY_START, out.length - MAC_SIZE), at + HEADER_SIZE);
      at += out.length - 2 * MAC_SIZE;
    }
    const ct = this.#ctr.update(scratch.subarray(0, bytes));
    at = 0;
    for (let i = from; i < to; i++) {
      const out = frames[i] as Uint8Array;
      const end = at + out.length - 2 * MAC_SIZE;
      out.set(ct.subarray(at, at + HEADER_SIZE), 0);
      out.set(ct.subarray(at + HEADER_SIZE, end), BODY_START);
      this.#macs(out);
      at = end;
    }
  }

  /** Encrypts and MACs one laid-out frame with one AES-CTR call. */
  #sealOne(out: Uint8Array): void {
    // Move the header plaintext next to the body, so one CTR call encrypts both.
    out.copyWithin(HEADER_SIZE, 0, HEADER_SIZE);
    const frameMacAt = out.length - MAC_SIZE;
    const ct = this.#ctr.update(out.subarray(HEADER_SIZE, frameMacAt));
    out.set(ct.subarray(0, HEADER_SIZE), 0);
    out.set(ct.subarray(HEADER_SIZE), BODY_START);
    this.#macs(out);
  }

  /** Writes the header MAC and the frame MAC of an encrypted frame into their slots. */
  #macs(out: Uint8Array): void {
    const frameMacAt = out.length - MAC_SIZE;
    out.set(this.#mac.header(out.subarray(0, HEADER_SIZE)), HEADER_SIZE);
    out.set(this.#mac.frame(out.subarray(BODY_START, frameMacAt)), frameMacAt);
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
