/**
 * Outgoing frames laid out back to back in shared buffers, so a connection hands the socket one
 * buffer per batch of frames instead of one buffer (and one write) per frame.
 * @module
 */

/** Most bytes of a shared buffer (a larger frame gets a buffer of its own size). */
export const FRAME_BATCH_CHUNK_BYTES: number = 64 * 1024;
/** Bytes of the first shared buffer of a batch; each next one doubles, up to the most. */
const FIRST_CHUNK_BYTES = 4 * 1024;

/**
 * Frames waiting to be written, in wire order. {@link FrameBatch.reserve} is a `FrameSink` for
 * `FrameWriter.encode`: it returns the space of the next frame inside the current buffer (or a new
 * one when it does not fit), and {@link FrameBatch.take} hands out everything reserved so far.
 * Buffers grow from 4 KiB by doubling within one batch, and none is kept once taken (the taker,
 * a socket, holds it until written), so an idle connection holds no buffer. Pure: no I/O.
 */
export class FrameBatch {
  readonly #maxChunkBytes: number;
  /** The buffer frames are being laid out in, or null before the first frame. */
  #chunk: Uint8Array | null = null;
  /** End of the frames laid out in `#chunk` (they start at 0). */
  #end = 0;
  /** Parts of earlier buffers not yet taken, in order. */
  #earlier: Uint8Array[] = [];
  #bytes = 0;
  #frames = 0;

  /**
   * @param maxChunkBytes most bytes of a shared buffer (default {@link FRAME_BATCH_CHUNK_BYTES})
   * @throws {RangeError} if `maxChunkBytes` is not a positive integer
   */
  constructor(maxChunkBytes: number = FRAME_BATCH_CHUNK_BYTES) {
    if (!Number.isInteger(maxChunkBytes) || maxChunkBytes < 1) {
      throw new RangeError(`maxChunkBytes: expected a positive integer, got ${maxChunkBytes}`);
    }
    this.#maxChunkBytes = maxChunkBytes;
  }

  /** Bytes reserved and not yet taken. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Frames reserved and not yet taken. */
  get frames(): number {
    return this.#frames;
  }

  /**
   * The space for the next frame: `length` bytes right after the previous frame, or at the start
   * of a new buffer when it does not fit. Its content is undefined (the buffers are not zeroed):
   * the caller fills all of it before {@link FrameBatch.take} (a writer that queues frames
   * seals them, MACs included, before the batch is taken).
   */
  readonly reserve = (length: number): Uint8Array => {
    let chunk = this.#chunk;
    if (chunk === null || chunk.length - this.#end < length) {
      const size = chunk === null ? FIRST_CHUNK_BYTES : 2 * chunk.length;
      if (chunk !== null && this.#end > 0) {
        this.#earlier.push(chunk.subarray(0, this.#end));
      }
      // Not zeroed: the writer fills every byte of the space it reserves.
      chunk = Buffer.allocUnsafe(Math.max(length, Math.min(size, this.#maxChunkBytes)));
      this.#chunk = chunk;
      this.#end = 0;
    }
    const at = this.#end;
    this.#end = at + length;
    this.#bytes += length;
    this.#frames++;
    return chunk.subarray(at, at + length);
  };

  /**
   * Removes and returns the reserved bytes in wire order (one buffer per shared buffer used,
   * none if empty). The next frame starts a new buffer.
   */
  take(): Uint8Array[] {
    const parts = this.#earlier;
    this.#earlier = [];
    if (this.#chunk !== null && this.#end > 0) {
      parts.push(this.#chunk.subarray(0, this.#end));
    }
    this.#chunk = null;
    this.#end = 0;
    this.#bytes = 0;
    this.#frames = 0;
    return parts;
  }
}
