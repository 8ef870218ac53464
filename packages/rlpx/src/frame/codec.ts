/**
 * The RLPx frame codec for one connection: AES-256-CTR and the keccak/AES-256 MACs keyed by the
 * secrets of the handshake, with optional snappy compression of payloads.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */
import { assertBytes, createAes256Block, createAesCtr, type KeccakState } from '@ethp2p/crypto';
import { MAX_FRAME_SIZE } from './constants.ts';
import { FrameStream } from './frame-stream.ts';
import { FrameMac } from './mac.ts';
import { type FrameMessage, FrameReader } from './reader.ts';
import { createSnappy, type SnappyCodec, type SnappyImpl } from './snappy.ts';
import { type FrameSink, FrameWriter } from './writer.ts';

/** The handshake's output that the frame codec needs (see the handshake's `deriveSecrets`). */
export interface FrameSecrets {
  /** 32-byte AES-256-CTR key, the same for both directions. */
  readonly aesSecret: Uint8Array;
  /** 32-byte key of the AES-256 block cipher used by the MACs. */
  readonly macSecret: Uint8Array;
  /**
   * Running keccak-256 state for frames we send. The codec takes ownership of it. A state from
   * `createMacKeccak` (as the handshake makes) runs on the frame-MAC WebAssembly module; any
   * other takes the generic path (see {@link FrameMac}).
   */
  readonly egressMac: KeccakState;
  /** Running keccak-256 state for frames we receive, like `egressMac`. */
  readonly ingressMac: KeccakState;
}

/** Options of {@link FrameCodec}. */
export interface FrameCodecOptions {
  /**
   * Largest accepted incoming frame-size and decompressed payload, in bytes; default and
   * maximum {@link MAX_FRAME_SIZE} (geth). A protocol may lower it (eth caps messages at 10 MiB).
   */
  readonly maxSize?: number;
  /**
   * Snappy implementation used once {@link FrameCodec.enableSnappy} is called: a name to force
   * one, or a codec. Default: napi `snappy` if it loads, else `snappyjs`.
   */
  readonly snappy?: SnappyImpl | SnappyCodec;
}

/**
 * Frames for one RLPx connection: a {@link FrameWriter} for egress and a {@link FrameReader}
 * (with a {@link FrameStream} over it) for ingress. Each direction has its own long-lived
 * AES-256-CTR keystream (zero IV, continuing across frames) and MAC state, so one reader and one
 * writer may run concurrently; each direction must have a single owner. Pure: no I/O.
 * @example
 * ```ts
 * const codec = new FrameCodec(secrets);
 * socket.write(codec.encode(0x10, payload));
 * socket.on('data', (chunk) => {
 *   for (const msg of codec.push(chunk)) handle(msg.code, msg.data);
 * });
 * ```
 */
export class FrameCodec {
  /** The egress half. */
  readonly writer: FrameWriter;
  /** The ingress half, for callers that read exact byte counts themselves. */
  readonly reader: FrameReader;
  /** Incremental ingress over arbitrary chunks, driving {@link FrameCodec.reader}. */
  readonly stream: FrameStream;
  readonly #snappyOption: SnappyImpl | SnappyCodec | undefined;

  /**
   * @throws {RangeError} if a secret is not 32 bytes or `maxSize` is not in 1..MAX_FRAME_SIZE
   */
  constructor(secrets: FrameSecrets, options: FrameCodecOptions = {}) {
    const maxSize = options.maxSize ?? MAX_FRAME_SIZE;
    if (!Number.isInteger(maxSize) || maxSize < 1 || maxSize > MAX_FRAME_SIZE) {
      throw new RangeError(`maxSize: expected an integer in 1..${MAX_FRAME_SIZE}, got ${maxSize}`);
    }
    // createAesCtr also takes 16-byte keys, so the frame key's length is checked here;
    // FrameMac checks the MAC key itself.
    assertBytes('aesSecret', secrets.aesSecret, 32);
    const iv = new Uint8Array(16);
    // The reader's lazy AES key closure captures only the key, not the handshake's secrets.
    const { aesSecret } = secrets;
    this.writer = new FrameWriter(
      createAesCtr(secrets.aesSecret, iv),
      new FrameMac(secrets.egressMac, secrets.macSecret),
    );
    this.reader = new FrameReader(
      createAesCtr(secrets.aesSecret, iv),
      new FrameMac(secrets.ingressMac, secrets.macSecret),
      maxSize,
      () => createAes256Block(aesSecret),
    );
    this.stream = new FrameStream(this.reader);
    this.#snappyOption = options.snappy;
  }

  /** Whether snappy is on (both directions). */
  get snappy(): boolean {
    return this.writer.snappy;
  }

  /**
   * Compresses every later payload and decompresses every later incoming one. Called by the
   * layer above after the Hello exchange when the remote p2p version is ≥ 5. Idempotent.
   * @throws {RlpxError} SNAPPY if the `'napi'` implementation was forced and does not load
   */
  enableSnappy(): void {
    if (this.snappy) return;
    const opt = this.#snappyOption;
    const codec = typeof opt === 'object' ? opt : createSnappy(opt);
    this.writer.enableSnappy(codec);
    this.reader.enableSnappy(codec);
  }

  /** Encodes one message as one frame (into `sink`'s space if given). See {@link FrameWriter.encode}. */
  encode(code: number, payload: Uint8Array, sink?: FrameSink): Uint8Array {
    return this.writer.encode(code, payload, sink);
  }

  /** Feeds received bytes and yields complete messages. See {@link FrameStream.push}. */
  push(chunk: Uint8Array): Generator<FrameMessage, void, undefined> {
    return this.stream.push(chunk);
  }
}
