/** Fuzzing the discv5 decoders: whatever the input, they return or throw a WireV5Error. */
import { hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHandshakeAuth,
  decodeMessage,
  decodePacket,
  encodeMessage,
  MAX_PACKET_BYTES,
  openMessage,
  WireV5Error,
} from '../../../src/v5/wire/index.ts';
import { message } from './arbitraries.ts';
import * as V from './vectors.ts';

const idB = hexToBytes(V.NODE_B.id);
const VECTORS = [V.PING_PACKET, V.WHOAREYOU_PACKET, V.HANDSHAKE_PACKET, V.HANDSHAKE_ENR_PACKET].map(
  (x) => hexToBytes(x),
);

/** Runs `fn`; a throw other than WireV5Error fails the test. */
function onlyWireV5Error(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof WireV5Error)) throw err;
  }
}

/** Asserts that `decode` returns or throws WireV5Error for every value of `inputs`. */
function survives<T>(inputs: fc.Arbitrary<T>, decode: (input: T) => unknown, numRuns = 500): void {
  fc.assert(
    fc.property(inputs, (input) => onlyWireV5Error(() => decode(input))),
    { numRuns },
  );
}

/** Decodes and, for message packets, opens with a fixed key and decodes the plaintext. */
function decodeAll(data: Uint8Array): void {
  const p = decodePacket(data, idB);
  if (p.kind === 'whoareyou') return;
  if (p.kind === 'handshake') decodeHandshakeAuth(p.headerData.subarray(39));
  const opened = openMessage(p, new Uint8Array(16));
  if (opened !== undefined) decodeMessage(opened);
}

describe('discv5 decoders throw nothing but WireV5Error', () => {
  it('on random bytes of any length', () => {
    survives(fc.uint8Array({ maxLength: MAX_PACKET_BYTES + 64 }), decodeAll);
  });

  it('on the vector packets with bytes flipped, cut or appended', () => {
    const mutation = fc.record({
      which: fc.integer({ min: 0, max: VECTORS.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      cut: fc.nat({ max: 400 }),
      extra: fc.uint8Array({ maxLength: 40 }),
    });
    survives(mutation, ({ which, flips, cut, extra }) => {
      const base = VECTORS[which] as Uint8Array;
      const kept = Math.max(0, base.length - cut);
      const out = new Uint8Array(kept + extra.length);
      out.set(base.subarray(0, kept));
      out.set(extra, kept);
      for (const [pos, x] of flips) {
        if (out.length > 0) out[pos % out.length] = (out[pos % out.length] as number) ^ x;
      }
      decodeAll(out);
    });
  });

  it('on random message plaintexts and mutated valid ones', () => {
    survives(fc.uint8Array({ maxLength: 200 }), decodeMessage);
    const flip = fc.tuple(message, fc.nat(), fc.integer({ min: 1, max: 255 }));
    survives(flip, ([m, pos, x]) => {
      const plain = encodeMessage(m);
      plain[pos % plain.length] = (plain[pos % plain.length] as number) ^ x;
      decodeMessage(plain);
    });
  });

  it('on random handshake authdata', () => {
    survives(fc.uint8Array({ maxLength: 200 }), decodeHandshakeAuth, 100);
    expect(decodeHandshakeAuth(new Uint8Array(34)).record.length).toBe(0);
  });
});
