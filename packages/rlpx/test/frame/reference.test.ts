import { describe, expect, it } from 'vitest';
import { FrameCodec } from '../../src/frame/index.ts';
import { hex, readFrame, secretsFor, testBytes } from './helpers.ts';
import { referenceInitiator } from './reference.ts';

// Cross-check against a naive transcription of rlpx.md with the real keccak MAC (the golden
// vector uses a fake hash, so it does not cover the MAC arithmetic).
describe('FrameCodec against the rlpx.md reference', () => {
  it('writes the same bytes as the reference for a run of frames', () => {
    const s = secretsFor('initiator');
    const ours = new FrameCodec(s);
    const ref = referenceInitiator(s.aesSecret, s.macSecret);
    for (const [i, size] of [0, 1, 15, 16, 17, 100, 5000].entries()) {
      const payload = testBytes(size, i + 3);
      const body = new Uint8Array(1 + size);
      body[0] = i === 0 ? 0x80 : i;
      body.set(payload, 1);
      expect(hex(ours.encode(i, payload))).toBe(hex(ref.frame(body)));
    }
  });

  it('reads frames written by the reference', () => {
    const s = secretsFor('initiator');
    const ref = referenceInitiator(s.aesSecret, s.macSecret);
    const b = new FrameCodec(secretsFor('recipient'));
    for (let i = 0; i < 5; i++) {
      const msg = readFrame(b, ref.frame(Uint8Array.of(0x82, 0x01, 0x00 + i, 0xee)));
      expect([msg.code, hex(msg.data)]).toEqual([0x100 + i, 'ee']);
    }
  });
});
