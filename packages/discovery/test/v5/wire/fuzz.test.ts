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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MAX_PACKET_BYTES + 64 }), (b) => {
        onlyWireV5Error(() => decodeAll(b));
      }),
      { numRuns: 500 },
    );
  });

  it('on the vector packets with bytes flipped, cut or appended', () => {
    const mutation = fc.record({
      which: fc.integer({ min: 0, max: VECTORS.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      cut: fc.nat({ max: 400 }),
      extra: fc.uint8Array({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(mutation, ({ which, flips, cut, extra }) => {
        const base = VECTORS[which] as Uint8Array;
        const out = new Uint8Array(Math.max(0, base.length - cut) + extra.length);
        out.set(base.subarray(0, Math.max(0, base.length - cut)));
        out.set(extra, out.length - extra.length);
        for (const [pos, x] of flips) {
          if (out.length > 0) out[pos % out.length] = (out[pos % out.length] as number) ^ x;
        }
        onlyWireV5Error(() => decodeAll(out));
      }),
      { numRuns: 500 },
    );
  });

  it('on random message plaintexts and mutated valid ones', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        onlyWireV5Error(() => decodeMessage(b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 1, max: 255 }), (m, pos, x) => {
        const plain = encodeMessage(m);
        plain[pos % plain.length] = (plain[pos % plain.length] as number) ^ x;
        onlyWireV5Error(() => decodeMessage(plain));
      }),
      { numRuns: 500 },
    );
  });

  it('on random handshake authdata', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        onlyWireV5Error(() => decodeHandshakeAuth(b));
      }),
    );
    expect(decodeHandshakeAuth(new Uint8Array(34)).record.length).toBe(0);
  });
});
