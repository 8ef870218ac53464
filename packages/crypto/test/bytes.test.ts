import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../src/bytes.ts';

describe('bytesToHex', () => {
  it('writes lower-case hex, two digits per byte', () => {
    expect(bytesToHex(new Uint8Array(0))).toBe('');
    expect(bytesToHex(Uint8Array.of(0, 1, 0x0f, 0x10, 0xab, 0xff))).toBe('00010f10abff');
  });

  it('reads only the view it is given, not the rest of its buffer', () => {
    const whole = Uint8Array.from({ length: 64 }, (_, i) => i);
    expect(bytesToHex(whole.subarray(30, 34))).toBe('1e1f2021');
    expect(bytesToHex(new Uint8Array(whole.buffer, 62, 2))).toBe('3e3f');
  });

  it('round-trips through hexToBytes', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
  });
});
