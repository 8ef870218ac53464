import { describe, expect, it } from 'vitest';
import { RlpxError } from '../../src/index.ts';
import { codecPair, hex, readFrame } from './helpers.ts';

/** A sender that never enabled snappy (as @ethereumjs/devp2p sends Disconnect) and a receiver that did. */
function pairWithSnappyOnlyOnReceiver() {
  const { a, b } = codecPair();
  b.enableSnappy();
  return { sender: a, receiver: b };
}

describe('uncompressed Disconnect after snappy is on (@ethereumjs/devp2p)', () => {
  it.each([
    ['list [reason]', 'c110'],
    ['bare reason', '04'],
    ['reason 0 as the empty string', '80'],
    ['list [0]', 'c180'],
  ])('delivers a raw %s as it came', (_what, payload) => {
    const { sender, receiver } = pairWithSnappyOnlyOnReceiver();
    const msg = readFrame(receiver, sender.encode(0x01, Buffer.from(payload, 'hex')));
    expect(msg.code).toBe(0x01);
    expect(hex(msg.data)).toBe(payload);
  });

  it('keeps the reader usable: later compressed frames still decode', () => {
    const { a, b } = codecPair();
    b.enableSnappy();
    expect(hex(readFrame(b, a.encode(0x01, Uint8Array.of(0xc1, 0x08))).data)).toBe('c108');
    a.enableSnappy();
    const next = readFrame(b, a.encode(0x10, Uint8Array.of(1, 2, 3)));
    expect(hex(next.data)).toBe('010203');
  });

  it('still decompresses a compressed Disconnect (geth)', () => {
    const { a, b } = codecPair();
    a.enableSnappy();
    b.enableSnappy();
    expect(hex(readFrame(b, a.encode(0x01, Uint8Array.of(0xc1, 0x04))).data)).toBe('c104');
  });

  it.each([
    ['another code with the same payload', 0x10, 'c110'],
    ['a Disconnect that is not RLP', 0x01, 'c2'],
    ['a Disconnect with a non-canonical element', 0x01, 'c28105'],
    ['a Disconnect over 16 bytes', 0x01, `d1${'01'.repeat(17)}`],
  ])('rejects %s with SNAPPY', (_what, code, payload) => {
    const { sender, receiver } = pairWithSnappyOnlyOnReceiver();
    const frame = sender.encode(code, Buffer.from(payload, 'hex'));
    let caught: unknown;
    try {
      readFrame(receiver, frame);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RlpxError);
    expect((caught as RlpxError).code).toBe('SNAPPY');
  });
});
