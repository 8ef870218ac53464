/**
 * The ingress half of the RLPx frame codec: header and MAC checks before decryption, then the
 * body, for a caller that reads exact byte counts from a stream.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */
import { decodeRlp, RlpError } from '@ethp2p/base/rlp';
import { type Aes256Block, type AesCtr, constantTimeEqual } from '@ethp2p/crypto';
import { RlpxError } from '../errors.ts';
import { HEADER_SIZE, HEADER_WITH_MAC_SIZE, MAC_SIZE, roundUp16 } from './constants.ts';
import type { FrameMac } from './mac.ts';
import { readMsgCode } from './msg-code.ts';
import { type SnappyCodec, snappyDecodedLength } from './snappy.ts';

/** The p2p Disconnect message code (rlpx.md). */
const DISCONNECT_CODE = 0x01;
/** The largest raw Disconnect accepted when it does not decompress (`[reason]` is 2 bytes). */
const MAX_RAW_DISCONNECT_SIZE = 16;

/** One decoded message. */
export interface FrameMessage {
  /** The message code. */
  readonly code: number;
  /** The payload, decompressed when snappy is on. */
  readonly data: Uint8Array;
  /** Bytes the whole frame took on the wire (header, body, padding and MACs), for metrics. */
  readonly wireSize: number;
}

/**
 * Decodes incoming frames in two steps: {@link FrameReader.readHeader} on the first 32 bytes
 * returns how many bytes to read next, {@link FrameReader.readBody} on exactly those bytes
 * returns the message. Owns the ingress AES-256-CTR keystream and MAC state, so frames must be
 * fed in wire order by one caller. After any {@link RlpxError} the reader is broken (its MAC
 * and keystream no longer line up with the peer) and every later call rethrows that error.
 */
export class FrameReader {
  readonly #ctr: AesCtr;
  readonly #mac: FrameMac;
  readonly #maxSize: number;
  readonly #makeKeystream: (() => Aes256Block) | undefined;
  #keystream: Aes256Block | undefined;
  #snappy: SnappyCodec | null = null;
  /** 16-byte blocks of the ingress keystream used so far (the CTR counter of the next block). */
  #blocks = 0n;
  /** frame-size announced by the last verified header, or -1 when a header is expected. */
  #size = -1;
  #failure: RlpxError | null = null;
  /**
   * The keystream of the next header, taken from the CTR call of the previous body (it runs on
   * over the body's MAC bytes: keystream = output XOR input), so a header costs no CTR call of
   * its own. Valid once a body has been read.
   */
  readonly #headerKeystream = new Uint8Array(HEADER_SIZE);
  #haveHeaderKeystream = false;

  /**
   * @param ctr the ingress AES-256-CTR stream (aes-secret, zero IV)
   * @param mac the ingress MAC state
   * @param maxSize the largest frame-size and decompressed payload accepted
   * @param keystream makes AES-256 under the frame key (aes-secret), on the first
   *   {@link FrameReader.peekDecodedLength}, which decrypts one block ahead of the stream with
   *   it; without it the peek returns null
   */
  constructor(ctr: AesCtr, mac: FrameMac, maxSize: number, keystream?: () => Aes256Block) {
    this.#ctr = ctr;
    this.#mac = mac;
    this.#maxSize = maxSize;
    this.#makeKeystream = keystream;
  }

  /**
   * The decompressed payload length the body being awaited declares, read from its first 16
   * ciphertext bytes before the body is read whole (and before its MAC is checked, so it only
   * sizes a wait: {@link FrameReader.readBody} checks everything again). Null when snappy is
   * off, the block does not parse, or the length is over the limit (`readBody` refuses such a
   * frame before decompressing).
   * @throws {TypeError} if no body is expected; {RangeError} if `first` is shorter than 16 bytes
   */
  peekDecodedLength(first: Uint8Array): number | null {
    if (!this.expectingBody) throw new TypeError('frame reader: expected a header');
    if (first.length < HEADER_SIZE) {
      throw new RangeError(`first: expected at least ${HEADER_SIZE} bytes, got ${first.length}`);
    }
    if (this.#snappy === null || this.#makeKeystream === undefined) return null;
    this.#keystream ??= this.#makeKeystream();
    // CTR with a zero IV: keystream block n is AES(key, n as a 128-bit big-endian counter).
    const counter = new Uint8Array(16);
    new DataView(counter.buffer).setBigUint64(8, this.#blocks);
    const key = this.#keystream.encryptBlock(counter);
    const plain = new Uint8Array(Math.min(HEADER_SIZE, this.#size));
    for (let i = 0; i < plain.length; i++) plain[i] = (first[i] as number) ^ (key[i] as number);
    try {
      const { length } = readMsgCode(plain);
      const decoded = snappyDecodedLength(plain.subarray(length));
      return decoded <= this.#maxSize ? decoded : null;
    } catch (err) {
      if (err instanceof RlpxError) return null;
      throw err;
    }
  }

  /** Whether payloads are snappy-decompressed. */
  get snappy(): boolean {
    return this.#snappy !== null;
  }

  /** Decompresses every later payload with `codec`. */
  enableSnappy(codec: SnappyCodec): void {
    this.#snappy = codec;
  }

  /** Whether the next call must be {@link FrameReader.readBody}. */
  get expectingBody(): boolean {
    return this.#size >= 0;
  }

  /**
   * Verifies the header MAC (constant time) before decrypting the header, then returns the
   * number of body bytes to read next: `roundup16(frame-size) + 16`.
   * @throws {RlpxError} BAD_HEADER_MAC, or FRAME_TOO_LARGE if frame-size exceeds the limit
   * @throws {RangeError} if `header` is not 32 bytes; {TypeError} if a body is expected
   */
  readHeader(header: Uint8Array): number {
    this.#checkUsable(false);
    if (header.length !== HEADER_WITH_MAC_SIZE) {
      throw new RangeError(`header: expected ${HEADER_WITH_MAC_SIZE} bytes, got ${header.length}`);
    }
    const ct = header.subarray(0, HEADER_SIZE);
    if (!constantTimeEqual(this.#mac.header(ct), header.subarray(HEADER_SIZE))) {
      throw this.#fail('BAD_HEADER_MAC', 'bad header MAC');
    }
    const size = this.#headerSize(ct);
    this.#blocks += 1n;
    if (size > this.#maxSize) {
      throw this.#fail('FRAME_TOO_LARGE', `frame-size ${size} exceeds the limit ${this.#maxSize}`);
    }
    this.#size = size;
    return roundUp16(size) + MAC_SIZE;
  }

  /**
   * Verifies the frame MAC, decrypts the body, strips the padding and splits the message code
   * from the payload (decompressing it when snappy is on; a tiny uncompressed Disconnect, as
   * @ethereumjs/devp2p sends it, is passed through). `body` is not retained.
   * @throws {RlpxError} BAD_FRAME_MAC; BAD_FRAME_MAC also for a missing or invalid message code;
   * FRAME_TOO_LARGE or SNAPPY for a payload that does not decompress within the limit
   * @throws {RangeError} if `body` is not the length `readHeader` returned; {TypeError} if a
   * header is expected
   */
  readBody(body: Uint8Array): FrameMessage {
    this.#checkUsable(true);
    const padded = roundUp16(this.#size);
    if (body.length !== padded + MAC_SIZE) {
      throw new RangeError(`body: expected ${padded + MAC_SIZE} bytes, got ${body.length}`);
    }
    const ct = body.subarray(0, padded);
    if (!constantTimeEqual(this.#mac.frame(ct), body.subarray(padded))) {
      throw this.#fail('BAD_FRAME_MAC', 'bad frame MAC');
    }
    const size = this.#size;
    this.#size = -1;
    // The keystream runs on over the MAC bytes into the next header's: keep that part.
    const out = this.#ctr.update(body);
    const ks = this.#headerKeystream;
    for (let i = 0; i < HEADER_SIZE; i++) {
      ks[i] = (out[padded + i] as number) ^ (body[padded + i] as number);
    }
    this.#haveHeaderKeystream = true;
    const plain = out.subarray(0, size);
    this.#blocks += BigInt(padded / 16);
    try {
      const { code, length } = readMsgCode(plain);
      let data = plain.subarray(length);
      if (this.#snappy !== null) data = this.#uncompress(code, data, this.#snappy);
      return { code, data, wireSize: HEADER_WITH_MAC_SIZE + body.length };
    } catch (err) {
      if (err instanceof RlpxError) throw this.#failWith(err);
      throw err;
    }
  }

  /**
   * Decompresses a payload. @ethereumjs/devp2p sends its Disconnect uncompressed even after
   * snappy is on; such a payload never parses as snappy, so a Disconnect that fails to
   * decompress but is itself a small valid RLP item is delivered as it came.
   */
  #uncompress(code: number, data: Uint8Array, snappy: SnappyCodec): Uint8Array {
    try {
      return snappy.uncompress(data, this.#maxSize);
    } catch (err) {
      if (code === DISCONNECT_CODE && err instanceof RlpxError && isSmallRlp(data)) {
        return data.slice();
      }
      throw err;
    }
  }

  /** Decrypts the frame-size (the first 3 bytes) of a header whose MAC is verified. */
  #headerSize(ct: Uint8Array): number {
    let plain: Uint8Array;
    if (this.#haveHeaderKeystream) {
      this.#haveHeaderKeystream = false;
      plain = this.#headerKeystream;
      for (let i = 0; i < 3; i++) plain[i] = (plain[i] as number) ^ (ct[i] as number);
    } else {
      plain = this.#ctr.update(ct);
    }
    return ((plain[0] as number) << 16) | ((plain[1] as number) << 8) | (plain[2] as number);
  }

  #checkUsable(body: boolean): void {
    if (this.#failure !== null) throw this.#failure;
    if (this.expectingBody !== body) {
      throw new TypeError(`frame reader: expected ${this.expectingBody ? 'a body' : 'a header'}`);
    }
  }

  #fail(code: 'BAD_HEADER_MAC' | 'BAD_FRAME_MAC' | 'FRAME_TOO_LARGE', message: string): RlpxError {
    return this.#failWith(new RlpxError(code, message));
  }

  #failWith(err: RlpxError): RlpxError {
    this.#failure = err;
    return err;
  }
}

/** Whether `data` is one complete RLP item of at most {@link MAX_RAW_DISCONNECT_SIZE} bytes. */
function isSmallRlp(data: Uint8Array): boolean {
  if (data.length === 0 || data.length > MAX_RAW_DISCONNECT_SIZE) return false;
  try {
    decodeRlp(data);
    return true;
  } catch (err) {
    if (err instanceof RlpError) return false;
    throw err;
  }
}
