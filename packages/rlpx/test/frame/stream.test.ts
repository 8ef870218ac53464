import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSnappy, type FrameMessage } from '../../src/frame/index.ts';
import { RlpxError } from '../../src/index.ts';
import { codecPair, hex, splitAt, testBytes } from './helpers.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

describe('FrameStream', () => {
  it('yields every frame of a chunk holding several, and buffers only a partial frame', () => {
    const { a, b } = codecPair();
    const frames = [0, 20, 300].map((n, i) => a.encode(i, testBytes(n, i + 1)));
    const wire = concat(frames);
    const cut = wire.length - 10;
    const first = [...b.push(wire.subarray(0, cut))];
    expect(first.map((m) => m.code)).toEqual([0, 1]);
    // Frames 0 and 1 are consumed, and so is frame 2's verified header; its body is partial.
    const consumed = (frames[0] as Uint8Array).length + (frames[1] as Uint8Array).length + 32;
    expect(b.stream.buffered).toBe(cut - consumed);
    const rest = [...b.push(wire.subarray(cut))];
    expect(rest.map((m) => [m.code, m.data.length])).toEqual([[2, 300]]);
    expect(b.stream.buffered).toBe(0);
  });

  it('resumes where the caller stopped iterating', () => {
    const { a, b } = codecPair();
    const wire = concat([a.encode(1, testBytes(3)), a.encode(2, testBytes(4))]);
    for (const msg of b.push(wire)) {
      expect(msg.code).toBe(1);
      break;
    }
    expect([...b.push(new Uint8Array(0))].map((m) => m.code)).toEqual([2]);
  });

  it('delivers a 1 MiB frame split into 64 KiB chunks', () => {
    const { a, b } = codecPair();
    const payload = testBytes(1 << 20, 9);
    const frame = a.encode(7, payload);
    const got: FrameMessage[] = [];
    for (let at = 0; at < frame.length; at += 65536) {
      got.push(...b.push(frame.subarray(at, at + 65536)));
      if (at + 65536 < frame.length) expect(got).toHaveLength(0);
    }
    expect(got.map((m) => [m.code, hex(m.data) === hex(payload)])).toEqual([[7, true]]);
  });

  it('holds a complete body back while holdBody says so, then decodes it', () => {
    const { a, b } = codecPair();
    const wire = concat([a.encode(1, testBytes(3)), a.encode(2, testBytes(40_000, 2))]);
    let hold = true;
    const asked: number[] = [];
    b.stream.holdBody = () => {
      asked.push(b.stream.pendingBody);
      return hold && b.stream.pendingBody > 1000;
    };
    expect([...b.push(wire)].map((m) => m.code)).toEqual([1]);
    // The second body is all here, undecoded.
    expect(b.stream.buffered).toBe(b.stream.pendingBody);
    expect([...b.push(new Uint8Array(0))]).toEqual([]);
    hold = false;
    expect([...b.push(new Uint8Array(0))].map((m) => [m.code, m.data.length])).toEqual([
      [2, 40_000],
    ]);
    expect(asked.length).toBeGreaterThanOrEqual(3);
  });

  it('peeks the decompressed length of the body awaited, frame after frame', () => {
    const { a, b } = codecPair();
    const sizes = [5, 70_000, 0, 1 << 20, 17, 300_000];
    const wire = concat([
      a.encode(0x10, testBytes(1)), // before snappy: a peek says nothing
      ...(() => {
        a.enableSnappy();
        return sizes.map((n, i) => a.encode(0x11 + i, new Uint8Array(n).fill(i)));
      })(),
    ]);
    const peeked: (number | null)[] = [];
    b.stream.holdBody = () => {
      peeked.push(b.reader.peekDecodedLength(b.stream.peekBody(16) as Uint8Array));
      return false;
    };
    const first = b.push(wire);
    expect(first.next().value?.code).toBe(0x10);
    b.enableSnappy();
    const rest = [...first].map((m) => m.data.length);
    expect(rest).toEqual(sizes);
    expect(peeked).toEqual([null, ...sizes]);
  });

  it('peekBody copies the first bytes of a body across chunks; null before they came', () => {
    const { a, b } = codecPair();
    const frame = a.encode(3, testBytes(100, 5));
    expect([...b.push(frame.subarray(0, 40))]).toEqual([]);
    expect(b.stream.peekBody(16)).toBeNull();
    expect([...b.push(frame.subarray(40, 45))]).toEqual([]);
    expect([...b.push(frame.subarray(45, 50))]).toEqual([]);
    expect(b.stream.peekBody(16)).toEqual(frame.subarray(32, 48));
    expect(b.stream.peekBody(18)).toEqual(frame.subarray(32, 50));
    expect(b.stream.peekBody(19)).toBeNull();
  });
});

describe('properties', () => {
  const message = fc.record({
    code: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 })),
    payload: fc.uint8Array({ maxLength: 2048 }),
  });

  it('round-trips any messages over any chunking, with or without snappy', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom(null, 'napi', 'js'),
        (msgs, cuts, impl) => {
          const { a, b } = codecPair(impl === null ? {} : { snappy: impl });
          if (impl !== null) {
            a.enableSnappy();
            b.enableSnappy();
          }
          const wire = concat(msgs.map((m) => a.encode(m.code, m.payload)));
          const got = splitAt(wire, cuts).flatMap((part) => [...b.push(part)]);
          expect(got.map((m) => [m.code, hex(m.data)])).toEqual(
            msgs.map((m) => [m.code, hex(m.payload)]),
          );
          expect(b.stream.buffered).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('raises only RlpxError on garbage, and on any single bit flip of a valid stream', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.boolean(),
        (garbage, bit, snappy) => {
          const { a, b } = codecPair();
          if (snappy) b.enableSnappy();
          const fromGarbage = thrown(() => [...b.push(garbage)]);
          // Under 32 bytes nothing is decoded yet; past it the header MAC fails.
          if (garbage.length < 32) expect(fromGarbage).toBeNull();
          else expect(fromGarbage).toBeInstanceOf(RlpxError);
          const { b: b2 } = codecPair();
          const wire = concat([a.encode(1, garbage), a.encode(2, garbage)]);
          const i = bit % (wire.length * 8);
          wire[i >> 3] = (wire[i >> 3] as number) ^ (1 << (i & 7));
          expect(thrown(() => [...b2.push(wire)])).toBeInstanceOf(RlpxError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('raises only RlpxError for garbage snappy blocks; napi and js agree on the outcome', () => {
    const napi = createSnappy('napi');
    const js = createSnappy('js');
    const outcome = (run: () => Uint8Array): string => {
      try {
        return hex(run());
      } catch (err) {
        if (err instanceof RlpxError) return err.code;
        throw err;
      }
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        (g, d, at) => {
          const mutated = napi.compress(d).slice();
          const i = at % mutated.length;
          mutated[i] = (mutated[i] as number) ^ (1 << (at % 8));
          for (const block of [g, napi.compress(d), js.compress(d), mutated]) {
            expect(outcome(() => js.uncompress(block, 4096))).toBe(
              outcome(() => napi.uncompress(block, 4096)),
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
