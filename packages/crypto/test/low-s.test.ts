import { describe, expect, it } from 'vitest';
import { hexToBytes, isLowS } from '../src/index.ts';

// go-ethereum crypto/signature_test.go TestVerifySignatureMalleable: a high-s signature.
const MALLEABLE_SIG =
  '638a54215d80a6713c8d523a6adc4e6e73652d859103a36b700851cb0e61b66b8ebfc1a610c57d732ec6e0a8f06a9a7a28df5051ece514702ff9cdff0b11f454';
const HALF_N = '7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0';

describe('isLowS', () => {
  it('tells the malleable twin from a canonical signature, with s = n/2 as the boundary', () => {
    expect(isLowS(hexToBytes(MALLEABLE_SIG))).toBe(false);
    const r = MALLEABLE_SIG.slice(0, 64);
    expect(isLowS(hexToBytes(r + HALF_N))).toBe(true);
    expect(isLowS(hexToBytes(`${r}${HALF_N.slice(0, 63)}1`))).toBe(false);
    expect(isLowS(hexToBytes(`${r}${HALF_N}01`))).toBe(true); // 65 bytes with v
  });

  it('rejects other lengths', () => {
    expect(() => isLowS(new Uint8Array(63))).toThrow(RangeError);
    expect(() => isLowS('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
