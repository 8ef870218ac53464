import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUvarint, decodeVarint, encodeUvarint, encodeVarint } from '../../src/db/varint.ts';

describe('varint', () => {
  it.each([
    [0n, [0x00]],
    [1n, [0x02]],
    [-1n, [0x01]],
    [9n, [0x12]], // go-ethereum's dbVersion 9
    [63n, [0x7e]],
    [-64n, [0x7f]],
    [64n, [0x80, 0x01]],
    [(1n << 63n) - 1n, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    [-(1n << 63n), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ])('zig-zag %d matches Go binary.PutVarint', (value, bytes) => {
    expect([...encodeVarint(value)]).toEqual(bytes);
    expect(decodeVarint(Uint8Array.from(bytes))).toBe(value);
  });

  it.each([
    [0n, [0x00]],
    [127n, [0x7f]],
    [300n, [0xac, 0x02]],
    [(1n << 64n) - 1n, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ])('uvarint %d matches Go binary.PutUvarint', (value, bytes) => {
    expect([...encodeUvarint(value)]).toEqual(bytes);
    expect(decodeUvarint(Uint8Array.from(bytes))).toBe(value);
  });

  it.each([
    ['empty', []],
    ['unterminated', [0x80]],
    ['trailing bytes', [0x01, 0x02]],
    ['overflow in the 10th byte', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]],
    ['11 bytes', [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]],
  ])('decodes %s as undefined', (_name, bytes) => {
    expect(decodeUvarint(Uint8Array.from(bytes))).toBeUndefined();
    expect(decodeVarint(Uint8Array.from(bytes))).toBeUndefined();
  });

  it('rejects out-of-range values on encode', () => {
    expect(() => encodeUvarint(-1n)).toThrow(RangeError);
    expect(() => encodeUvarint(1n << 64n)).toThrow(RangeError);
    expect(() => encodeVarint(1n << 63n)).toThrow(RangeError);
  });

  it('round-trips any int64 and uint64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        expect(decodeVarint(encodeVarint(v))).toBe(v);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        expect(decodeUvarint(encodeUvarint(v))).toBe(v);
      }),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        decodeVarint(bytes);
      }),
    );
  });
});
