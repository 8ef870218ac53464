import { hexToBytes, keccak256 } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { FrameCodec } from '../../src/frame/index.ts';
import { fakeKeccak, readFrame } from './helpers.ts';

// go-ethereum p2p/rlpx/rlpx_test.go TestFrameReadWrite (copied into ethp2p's spec-vectors §4):
// aes-secret = mac-secret = keccak256(""), MAC hashes replaced by a fake whose digest is always
// 32 × 0x01 and whose update is a no-op, snappy off, code 8, payload rlp([1, 2, 3, 4]).
const VECTOR = {
  code: 8,
  payload: 'c401020304',
  frame:
    '00828ddae471818bb0bfa6b551d1cb42' +
    '01010101010101010101010101010101' +
    'ba628a4ba590cb43f7848f41c4382885' +
    '01010101010101010101010101010101',
};

function vectorCodec(): FrameCodec {
  const secret = keccak256(new Uint8Array(0));
  return new FrameCodec({
    aesSecret: secret,
    macSecret: secret,
    egressMac: fakeKeccak(),
    ingressMac: fakeKeccak(),
  });
}

describe('frame vector (geth TestFrameReadWrite)', () => {
  it('encodes code 8 with payload c401020304 to the 64-byte golden frame', () => {
    const frame = vectorCodec().encode(VECTOR.code, hexToBytes(VECTOR.payload));
    expect(Buffer.from(frame).toString('hex')).toBe(VECTOR.frame);
  });

  it('decodes the golden frame with the two-step reader', () => {
    const msg = readFrame(vectorCodec(), hexToBytes(VECTOR.frame));
    expect(msg.code).toBe(VECTOR.code);
    expect(Buffer.from(msg.data).toString('hex')).toBe(VECTOR.payload);
  });

  it('decodes the golden frame fed one byte at a time', () => {
    const codec = vectorCodec();
    const frame = hexToBytes(VECTOR.frame);
    const got = [];
    for (let i = 0; i < frame.length; i++) got.push(...codec.push(frame.subarray(i, i + 1)));
    expect(got.map((m) => [m.code, Buffer.from(m.data).toString('hex'), m.wireSize])).toEqual([
      [VECTOR.code, VECTOR.payload, 64],
    ]);
    expect(codec.stream.buffered).toBe(0);
  });
});
