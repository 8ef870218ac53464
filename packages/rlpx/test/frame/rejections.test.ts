import { describe, expect, it } from 'vitest';
import { createSnappy, FrameCodec, type FrameCodecOptions } from '../../src/frame/index.ts';
import { RlpxError, type RlpxErrorCode } from '../../src/index.ts';
import { codecPair, readFrame, secretsFor, testBytes } from './helpers.ts';
import { referenceInitiator } from './reference.ts';

function rlpxCode(fn: () => unknown): RlpxErrorCode | 'none' {
  try {
    fn();
  } catch (err) {
    if (err instanceof RlpxError) return err.code;
    throw err;
  }
  return 'none';
}

function flipped(frame: Uint8Array, index: number): Uint8Array {
  const copy = frame.slice();
  copy[index] = (copy[index] as number) ^ 0x04;
  return copy;
}

function recipientAndReference(options: FrameCodecOptions = {}) {
  const s = secretsFor('initiator');
  return {
    b: new FrameCodec(secretsFor('recipient'), options),
    ref: referenceInitiator(s.aesSecret, s.macSecret),
  };
}

describe('tampered frames', () => {
  // A 40-byte frame body: header-ct [0,16), header-mac [16,32), body-ct [32,80), frame-mac [80,96).
  it.each([
    ['header-ct', 3, 'BAD_HEADER_MAC'],
    ['header-mac', 20, 'BAD_HEADER_MAC'],
    ['body-ct', 40, 'BAD_FRAME_MAC'],
    ['body padding', 78, 'BAD_FRAME_MAC'],
    ['frame-mac', 95, 'BAD_FRAME_MAC'],
  ] as const)('a flipped bit in the %s raises %s', (_part, index, code) => {
    const { a, b } = codecPair();
    const frame = a.encode(1, testBytes(40));
    expect(frame.length).toBe(96);
    expect(rlpxCode(() => readFrame(b, flipped(frame, index)))).toBe(code);
  });

  it('a bad header MAC is reported before any body is asked for', () => {
    const { a, b } = codecPair();
    const frame = flipped(a.encode(1, testBytes(5000)), 20);
    const chunks = [...Array(10).keys()].map((i) => frame.subarray(i * 32, i * 32 + 32));
    expect(rlpxCode(() => [...b.push(chunks[0] as Uint8Array)])).toBe('BAD_HEADER_MAC');
    expect(b.stream.buffered).toBe(0);
  });

  it('a failed reader stays failed and rethrows the same error', () => {
    const { a, b } = codecPair();
    const bad = flipped(a.encode(1, testBytes(8)), 40);
    let first: unknown;
    try {
      readFrame(b, bad);
    } catch (err) {
      first = err;
    }
    expect(first).toBeInstanceOf(RlpxError);
    expect(() => b.reader.readHeader(new Uint8Array(32))).toThrow(first as Error);
    expect(() => [...b.push(a.encode(2, testBytes(8)))]).toThrow(first as Error);
  });

  it('misuse of the two-step reader throws TypeError or RangeError, not RlpxError', () => {
    const { a, b } = codecPair();
    expect(() => b.reader.readBody(new Uint8Array(32))).toThrow(TypeError);
    expect(() => b.reader.readHeader(new Uint8Array(31))).toThrow(RangeError);
    const frame = a.encode(1, testBytes(8));
    b.reader.readHeader(frame.subarray(0, 32));
    expect(() => b.reader.readHeader(frame.subarray(0, 32))).toThrow(TypeError);
    expect(() => b.reader.readBody(frame.subarray(32, 40))).toThrow(RangeError);
  });
});

describe('size limits', () => {
  it('rejects an announced frame-size over the limit from the header alone', () => {
    const { a } = codecPair();
    const b = new FrameCodec(secretsFor('recipient'), { maxSize: 1024 });
    expect(readFrame(b, a.encode(1, testBytes(1023))).data.length).toBe(1023);
    const big = a.encode(1, testBytes(1024));
    expect(rlpxCode(() => [...b.push(big.subarray(0, 32))])).toBe('FRAME_TOO_LARGE');
    expect(b.stream.buffered).toBe(0);
  });

  it('rejects a snappy payload whose decoded length is over the limit', () => {
    const { a } = codecPair();
    const b = new FrameCodec(secretsFor('recipient'), { maxSize: 1 << 20 });
    a.enableSnappy();
    b.enableSnappy();
    const frame = a.encode(1, new Uint8Array((1 << 20) + 1));
    expect(frame.length).toBeLessThan(64 * 1024);
    expect(rlpxCode(() => readFrame(b, frame))).toBe('FRAME_TOO_LARGE');
  });
});

describe('malformed bodies', () => {
  it.each([
    ['an empty body (frame-size 0)', new Uint8Array(0)],
    ['a list instead of a code', Uint8Array.of(0xc0)],
    ['a non-canonical single byte', Uint8Array.of(0x81, 0x05)],
    ['a leading zero', Uint8Array.of(0x82, 0x00, 0x90)],
    ['a truncated code', Uint8Array.of(0x83, 0x01)],
    ['a code over 7 bytes', Uint8Array.of(0x88, 1, 2, 3, 4, 5, 6, 7, 8)],
    ['a code above 2^53 - 1', Uint8Array.of(0x87, 0x20, 0, 0, 0, 0, 0, 0)],
  ])('rejects %s', (_name, body) => {
    const { b, ref } = recipientAndReference();
    expect(() => readFrame(b, ref.frame(body))).toThrow(/invalid message code/);
    expect(rlpxCode(() => readFrame(b, ref.frame(body)))).toBe('BAD_FRAME');
  });

  it.each(['napi', 'js'] as const)('rejects malformed snappy payloads (%s)', (impl) => {
    for (const payload of [
      Uint8Array.of(0x80, 0x80), // truncated varint
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // varint over 5 bytes
      Uint8Array.of(0x0a, 0xff, 0xff, 0xff), // claims 10 bytes, garbage tags
      Uint8Array.of(0x05, 0x00, 0x41), // literal of 1 byte, 5 declared
    ]) {
      const { b, ref } = recipientAndReference({ snappy: impl });
      b.enableSnappy();
      const body = new Uint8Array(1 + payload.length);
      body[0] = 0x10;
      body.set(payload, 1);
      expect(rlpxCode(() => readFrame(b, ref.frame(body)))).toBe('SNAPPY');
    }
  });
});

describe.each(['napi', 'js'] as const)('snappy bombs (%s)', (impl) => {
  const snappy = createSnappy(impl);

  it('rejects a block claiming 4 GiB from its varint alone', () => {
    const bomb = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
    expect(rlpxCode(() => snappy.uncompress(bomb, 16 * 1024 * 1024))).toBe('FRAME_TOO_LARGE');
  });

  it('rejects a valid block that decodes past the limit, and accepts it at the limit', () => {
    const block = snappy.compress(new Uint8Array(2 * 1024 * 1024));
    expect(block.length).toBeLessThan(200 * 1024);
    expect(rlpxCode(() => snappy.uncompress(block, 2 * 1024 * 1024 - 1))).toBe('FRAME_TOO_LARGE');
    expect(snappy.uncompress(block, 2 * 1024 * 1024).length).toBe(2 * 1024 * 1024);
  });

  it('reports its implementation', () => {
    expect(snappy.impl).toBe(impl);
  });
});
