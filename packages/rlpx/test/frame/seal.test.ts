/**
 * {@link FrameWriter.queue} and {@link FrameWriter.seal}: frames laid out first and encrypted
 * and MAC'd together later must be byte for byte the frames `encode` makes one at a time.
 */
import { describe, expect, it } from 'vitest';
import { FrameBatch } from '../../src/frame/frame-batch.ts';
import type { FrameCodec } from '../../src/frame/index.ts';
import { SEAL_FRAME_MAX_BYTES, SEAL_RUN_BYTES } from '../../src/frame/writer.ts';
import { codecPair, hex, testBytes } from './helpers.ts';

/** Frames of `payloads` encoded one at a time by `codec`, as hex. */
function encodedOneByOne(codec: FrameCodec, payloads: readonly Uint8Array[]): string[] {
  return payloads.map((p, i) => hex(codec.encode(0x10 + (i % 16), p)));
}

/** Frames of `payloads` queued into fresh buffers by `codec`, sealed once at the end, as hex. */
function queuedThenSealed(codec: FrameCodec, payloads: readonly Uint8Array[]): string[] {
  const frames: Uint8Array[] = [];
  const sink = (length: number): Uint8Array => {
    // Stale bytes in the space: the writer must overwrite every one of them.
    const space = new Uint8Array(length).fill(0xee);
    frames.push(space);
    return space;
  };
  for (const [i, p] of payloads.entries()) {
    expect(codec.writer.queue(0x10 + (i % 16), p, sink)).toBe(frames[i]?.length);
  }
  expect(codec.writer.queued).toBe(payloads.length);
  codec.writer.seal();
  expect(codec.writer.queued).toBe(0);
  return frames.map(hex);
}

/**
 * Payload sizes that put run boundaries in different places: small frames filling a run past
 * its size, frames at and just over the size that seals alone, and large ones between small.
 */
const MIXED = [
  1,
  15,
  16,
  1024,
  ...Array.from({ length: 20 }, (_, i) => 1000 + 37 * i),
  // 16 + roundUp16(payload + 1) bytes of plaintext: exactly the most a run takes, then one more.
  SEAL_FRAME_MAX_BYTES - 32,
  SEAL_FRAME_MAX_BYTES - 16,
  5,
  SEAL_RUN_BYTES,
  3,
  40_000,
  SEAL_FRAME_MAX_BYTES - 17,
  0,
  2000,
];

describe('FrameWriter.queue and seal', () => {
  it.each([
    ['small frames', Array.from({ length: 50 }, (_, i) => testBytes(100 + i, i + 1))],
    ['runs split at the run size', MIXED.map((n, i) => testBytes(n, i + 7))],
  ])('seals %s into the bytes encode makes', (_name, payloads) => {
    const reference = codecPair().a;
    const queued = codecPair().a;
    expect(queuedThenSealed(queued, payloads)).toEqual(encodedOneByOne(reference, payloads));
    // The keystream and MAC state went on in step: the next frames match too.
    expect(queuedThenSealed(queued, payloads.slice(0, 3))).toEqual(
      encodedOneByOne(reference, payloads.slice(0, 3)),
    );
  });

  it('compresses queued payloads with snappy like encode does', () => {
    const reference = codecPair().a;
    const queued = codecPair().a;
    reference.enableSnappy();
    queued.enableSnappy();
    const payloads = [testBytes(3000, 1, true), testBytes(70_000, 2, true), testBytes(10, 3)];
    expect(queuedThenSealed(queued, payloads)).toEqual(encodedOneByOne(reference, payloads));
  });

  it('seals the queued frames before encoding one at once, keeping the order', () => {
    const { a, b } = codecPair();
    const batch = new FrameBatch();
    a.writer.queue(0x10, testBytes(10, 1), batch.reserve);
    a.writer.queue(0x11, testBytes(20, 2), batch.reserve);
    const third = a.encode(0x12, testBytes(30, 3));
    expect(a.writer.queued).toBe(0);
    const got = [...b.push(batch.take()[0] as Uint8Array), ...b.push(third)];
    expect(got.map((m) => [m.code, hex(m.data)])).toEqual([
      [0x10, hex(testBytes(10, 1))],
      [0x11, hex(testBytes(20, 2))],
      [0x12, hex(testBytes(30, 3))],
    ]);
  });

  it('does nothing when nothing is queued', () => {
    const reference = codecPair().a;
    const sealed = codecPair().a;
    sealed.writer.seal();
    expect(hex(sealed.encode(0x10, testBytes(40, 4)))).toBe(
      hex(reference.encode(0x10, testBytes(40, 4))),
    );
  });

  it('refuses what encode refuses, before taking any space', () => {
    const { a } = codecPair();
    const sink = (): Uint8Array => {
      throw new Error('no space may be taken');
    };
    expect(() => a.writer.queue(-1, new Uint8Array(1), sink)).toThrow(RangeError);
    expect(() => a.writer.queue(0x10, new Uint8Array(0x1000000), sink)).toThrow(RangeError);
    expect(a.writer.queued).toBe(0);
  });
});
