import { describe, expect, it } from 'vitest';
import { RlpxError } from '../../src/errors.ts';
import { encodeMsgCode, readMsgCode } from '../../src/frame/msg-code.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

describe('frame message code', () => {
  it.each([
    [0, '80'],
    [1, '01'],
    [0x10, '10'],
    [0x7f, '7f'],
    [0x80, '8180'],
    [0x1234, '821234'],
    [Number.MAX_SAFE_INTEGER, '871fffffffffffff'],
  ])('reads and writes code %s as %s, followed by the payload', (code, enc) => {
    expect(Buffer.from(encodeMsgCode(code)).toString('hex')).toBe(enc);
    expect(readMsgCode(hex(`${enc}c0`))).toEqual({ code, length: enc.length / 2 });
  });

  it.each([
    ['an empty body', ''],
    ['the byte 0x00 (code 0 is 0x80)', '00c0'],
    ['a list', 'c0'],
    ['a wrapped single byte', '8105'],
    ['a leading zero', '820090'],
    ['a truncated integer', '8201'],
    ['an integer above the safe range', '88ffffffffffffffff'],
  ])('refuses %s with BAD_FRAME', (_what, body) => {
    let caught: unknown;
    try {
      readMsgCode(hex(body));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RlpxError);
    expect((caught as RlpxError).code).toBe('BAD_FRAME');
  });
});
