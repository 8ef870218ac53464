/**
 * {@link FrameBatch}: frames laid out back to back for one socket write per batch, and the
 * writer's `sink` that fills them.
 */
import { describe, expect, it } from 'vitest';
import { FRAME_BATCH_CHUNK_BYTES, FrameBatch } from '../../src/frame/frame-batch.ts';
import type { FrameCodec, FrameMessage } from '../../src/frame/index.ts';
import { codecPair, frameLength, hex, testBytes } from './helpers.ts';

/** Decodes every frame of `parts` (wire order) with `codec`. */
function decodeAll(codec: FrameCodec, parts: readonly Uint8Array[]): FrameMessage[] {
  const out: FrameMessage[] = [];
  for (const part of parts) out.push(...codec.push(part));
  return out;
}

describe('FrameBatch', () => {
  it('lays small frames out back to back in one buffer, in order', () => {
    const { a, b } = codecPair();
    const batch = new FrameBatch();
    const payloads = Array.from({ length: 20 }, (_, i) => testBytes(100 + i, i + 1));
    for (const [i, p] of payloads.entries()) a.encode(0x10 + i, p, batch.reserve);
    const expected = payloads.reduce((n, p) => n + frameLength(p.length), 0);
    expect([batch.frames, batch.bytes]).toEqual([20, expected]);
    const parts = batch.take();
    expect(parts.map((p) => p.length)).toEqual([expected]);
    expect([batch.frames, batch.bytes]).toEqual([0, 0]);
    const got = decodeAll(b, parts);
    expect(got.map((m) => [m.code, hex(m.data)])).toEqual(
      payloads.map((p, i) => [0x10 + i, hex(p)]),
    );
  });

  it('spreads frames over growing buffers and gives a larger frame a buffer of its own', () => {
    const { a, b } = codecPair();
    const batch = new FrameBatch();
    const sizes = [3000, 3000, 5000, 200_000, 10, 60_000, 60_000, 1];
    const payloads = sizes.map((n, i) => testBytes(n, i + 7));
    for (const p of payloads) a.encode(0x11, p, batch.reserve);
    const parts = batch.take();
    expect(parts.length).toBeGreaterThan(1);
    // No buffer over the cap unless one frame alone needs more.
    for (const part of parts) {
      expect(part.length <= FRAME_BATCH_CHUNK_BYTES || part.length === frameLength(200_000)).toBe(
        true,
      );
    }
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(
      sizes.reduce((n, s) => n + frameLength(s), 0),
    );
    expect(decodeAll(b, parts).map((m) => hex(m.data))).toEqual(payloads.map(hex));
  });

  it('never writes into a part it handed out: later frames go into a new buffer', () => {
    const { a, b } = codecPair();
    const batch = new FrameBatch();
    a.encode(1, testBytes(50, 1), batch.reserve);
    const [first] = batch.take();
    const snapshot = hex(first as Uint8Array);
    a.encode(2, testBytes(50, 2), batch.reserve);
    a.encode(3, testBytes(50, 3), batch.reserve);
    const second = batch.take();
    expect(hex(first as Uint8Array)).toBe(snapshot);
    // Separate memory (Buffer.allocUnsafe may carve both from its shared pool, as Node 24 does).
    const [x, y] = [first as Uint8Array, second[0] as Uint8Array];
    const overlap =
      x.buffer === y.buffer &&
      x.byteOffset < y.byteOffset + y.length &&
      y.byteOffset < x.byteOffset + x.length;
    expect(overlap).toBe(false);
    const got = decodeAll(b, [first as Uint8Array, ...second]);
    expect(got.map((m) => m.code)).toEqual([1, 2, 3]);
    expect(batch.take()).toEqual([]);
  });

  it('gives the same wire bytes as fresh buffers even when the space holds old bytes', () => {
    // The batch does not zero its buffers: the writer must set every byte (header padding,
    // body padding), or stale memory would reach the wire.
    const fresh = codecPair();
    const dirty = codecPair();
    const dirtySink = (length: number): Uint8Array => new Uint8Array(length).fill(0xa5);
    for (const [i, size] of [0, 1, 13, 15, 16, 17, 1000].entries()) {
      const payload = testBytes(size, i + 3);
      const code = [0, 1, 0x7f, 0x80, 300, 0x10, 2 ** 40][i] as number;
      expect(hex(dirty.a.encode(code, payload, dirtySink))).toBe(
        hex(fresh.a.encode(code, payload)),
      );
    }
  });

  it('takes nothing from an empty batch and rejects a bad buffer size', () => {
    expect(new FrameBatch().take()).toEqual([]);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new FrameBatch(bad)).toThrow(RangeError);
    }
  });

  it('reserves nothing when the writer rejects a message', () => {
    const { a } = codecPair();
    const batch = new FrameBatch();
    expect(() => a.encode(-1, new Uint8Array(1), batch.reserve)).toThrow(RangeError);
    expect(() => a.encode(1, new Uint8Array(0x1000000), batch.reserve)).toThrow(RangeError);
    expect([batch.frames, batch.bytes]).toEqual([0, 0]);
  });
});
