import { RLP } from '@ethereumjs/rlp';
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeBool,
  encodeBytes,
  encodeList,
  encodeUint,
  listItems,
  type RlpItem,
  readBigUint,
  readBool,
  readItem,
  readRoot,
  readU32,
  readU64,
} from '../../src/messages/rlp.ts';
import { expectEthError, type Nested, nested } from './helpers.ts';

/** Re-encodes a tree of items read by our reader, with our writer. */
function reencode(it: RlpItem): Uint8Array {
  if (!it.list) return encodeBytes(it.payload);
  return encodeList(listItems(it, 'x').map(reencode));
}

function toNested(it: RlpItem): Nested {
  return it.list ? listItems(it, 'x').map(toNested) : it.payload;
}

describe('rlp reader', () => {
  it('reads what @ethereumjs/rlp writes, and writes the same bytes back', () => {
    fc.assert(
      fc.property(nested, (n) => {
        const enc = RLP.encode(n);
        const root = readRoot(enc, 'x');
        expect(reencode(root)).toEqual(enc);
        expect(RLP.encode(toNested(root))).toEqual(enc);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['8100', 'a single byte below 0x80 wrapped in a string header'],
    ['817f', 'a single byte below 0x80 wrapped in a string header'],
    ['b800', 'long form for a short string'],
    [`b837${'00'.repeat(55)}`, 'long form for a 55-byte string'],
    [`b90038${'00'.repeat(56)}`, 'a length with a leading zero'],
    [`f800`, 'long form for a short list'],
    ['83aabb', 'a string longer than the input'],
    ['c3aabb', 'a list longer than the input'],
    ['b9', 'a truncated length'],
    ['', 'empty input'],
  ])('rejects %s (%s)', (hex) => {
    expectEthError(() => readRoot(hexToBytes(hex), 'x'), 'MALFORMED');
  });

  it('rejects trailing bytes after the root item', () => {
    expectEthError(() => readRoot(hexToBytes('8001'), 'x'), 'MALFORMED');
  });

  it('rejects list elements that overrun the list', () => {
    // A list of 2 payload bytes whose element claims 3.
    const it = readItem(hexToBytes('c2830102'), 0);
    expectEthError(() => listItems(it, 'x'), 'MALFORMED');
  });
});

describe('rlp integers', () => {
  const u64 = (hex: string) => readU64(readRoot(hexToBytes(hex), 'x'), 'x');

  it('reads canonical u64 values', () => {
    expect(u64('80')).toBe(0n);
    expect(u64('01')).toBe(1n);
    expect(u64('7f')).toBe(0x7fn);
    expect(u64('8180')).toBe(0x80n);
    expect(u64('88ffffffffffffffff')).toBe(2n ** 64n - 1n);
  });

  it.each([
    ['00', 'the byte 0x00 (zero is the empty string)'],
    ['820001', 'a leading zero'],
    ['89010000000000000000', 'nine bytes'],
    ['c0', 'a list'],
  ])('rejects %s as a u64 (%s)', (hex) => {
    expectEthError(() => u64(hex), 'MALFORMED');
  });

  it('limits u32 and big integers to their byte width', () => {
    expect(readU32(readRoot(hexToBytes('84ffffffff'), 'x'), 'x')).toBe(0xffffffff);
    expectEthError(() => readU32(readRoot(hexToBytes('850100000000'), 'x'), 'x'), 'MALFORMED');
    const big = readRoot(encodeUint(2n ** 256n - 1n), 'x');
    expect(readBigUint(big, 32, 'x')).toBe(2n ** 256n - 1n);
    expectEthError(() => readBigUint(readRoot(encodeUint(2n ** 256n), 'x'), 32, 'x'), 'MALFORMED');
  });

  it('round-trips unsigned integers like @ethereumjs/rlp', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (v) => {
        const enc = encodeUint(v);
        expect(enc).toEqual(RLP.encode(v));
        expect(readBigUint(readRoot(enc, 'x'), 32, 'x')).toBe(v);
      }),
    );
  });

  it('reads booleans as geth writes them', () => {
    expect(bytesToHex(encodeBool(true))).toBe('01');
    expect(bytesToHex(encodeBool(false))).toBe('80');
    expect(readBool(readRoot(encodeBool(true), 'x'), 'x')).toBe(true);
    expect(readBool(readRoot(encodeBool(false), 'x'), 'x')).toBe(false);
    expectEthError(() => readBool(readRoot(hexToBytes('02'), 'x'), 'x'), 'MALFORMED');
    expectEthError(() => readBool(readRoot(hexToBytes('820001'), 'x'), 'x'), 'MALFORMED');
  });
});
