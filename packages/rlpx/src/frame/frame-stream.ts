/**
 * Incremental frame decoding over arbitrary TCP chunks, for the connection's `data` handler.
 * @module
 */
import { HEADER_WITH_MAC_SIZE } from './constants.ts';
import type { FrameMessage, FrameReader } from './reader.ts';

/**
 * Cuts a byte stream into frames for a {@link FrameReader}. It only holds the part of the
 * frame being read: first up to 32 bytes for the header; then, once the header MAC and the
 * announced size are verified, the received chunks until they cover the body (bounded by the
 * reader's limit, plus the tail of the last chunk, which belongs to the next frame). A header or
 * body that lies within one chunk is used in place; one spanning chunks is assembled with a
 * single copy (never re-concatenated per chunk). Single owner, like the reader it drives.
 */
export class FrameStream {
  readonly #reader: FrameReader;
  /** Received chunks not yet consumed; the first is consumed from `#offset`. */
  readonly #chunks: Uint8Array[] = [];
  #offset = 0;
  #buffered = 0;
  #need = HEADER_WITH_MAC_SIZE;
  #holdBody: (() => boolean) | null = null;

  /** @param reader the ingress reader this stream feeds; it must be expecting a header */
  constructor(reader: FrameReader) {
    this.#reader = reader;
  }

  /** Bytes received and not yet decoded (always less than the current frame part needs). */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * Bytes of the frame body the last verified header announced (padding and MAC included), or 0
   * while a header is expected. A caller may use it to decide whether to feed more bytes yet.
   */
  get pendingBody(): number {
    return this.#reader.expectingBody ? this.#need : 0;
  }

  /**
   * Asked before each body is decoded, once all of it is buffered: while it returns true, `push`
   * stops there (the body stays buffered, undecoded) and the next `push` asks again. The
   * connection holds a body back this way until the ingress budget has room for it.
   */
  set holdBody(hold: (() => boolean) | null) {
    this.#holdBody = hold;
  }

  /**
   * The first `n` bytes of the body being awaited, if that many are buffered (a copy when they
   * span chunks), else null; null too while a header is expected.
   */
  peekBody(n: number): Uint8Array | null {
    if (!this.#reader.expectingBody || this.#buffered < n) return null;
    const out = new Uint8Array(n);
    let filled = 0;
    let offset = this.#offset;
    for (const chunk of this.#chunks) {
      const count = Math.min(n - filled, chunk.length - offset);
      out.set(chunk.subarray(offset, offset + count), filled);
      filled += count;
      offset = 0;
      if (filled === n) break;
    }
    return out;
  }

  /**
   * Adds `chunk` and yields every frame it completes, in order. The chunk is kept (not copied)
   * until it is consumed, so the caller must not modify it afterwards: if the caller stops iterating early, the next `push` (even of an empty chunk)
   * resumes where it stopped.
   * @throws {RlpxError} whatever the reader raises (a bad MAC, an oversize frame, a bad body);
   * the stream is then unusable, and nothing past the failing part was buffered for it
   */
  *push(chunk: Uint8Array): Generator<FrameMessage, void, undefined> {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    while (this.#buffered >= this.#need) {
      if (this.#reader.expectingBody && this.#holdBody?.() === true) return;
      const part = this.#take(this.#need);
      if (this.#reader.expectingBody) {
        this.#need = HEADER_WITH_MAC_SIZE;
        yield this.#reader.readBody(part);
      } else {
        this.#need = this.#reader.readHeader(part);
      }
    }
  }

  /** Removes and returns the next `n` buffered bytes (`n` ≤ buffered), in place when possible. */
  #take(n: number): Uint8Array {
    this.#buffered -= n;
    const first = this.#chunks[0] as Uint8Array;
    if (first.length - this.#offset >= n) {
      const part = first.subarray(this.#offset, this.#offset + n);
      this.#advance(first, n);
      return part;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.#chunks[0] as Uint8Array;
      const count = Math.min(n - filled, head.length - this.#offset);
      out.set(head.subarray(this.#offset, this.#offset + count), filled);
      filled += count;
      this.#advance(head, count);
    }
    return out;
  }

  #advance(head: Uint8Array, count: number): void {
    this.#offset += count;
    if (this.#offset === head.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}
