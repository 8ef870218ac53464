import { thrownError } from '@ethp2p/base/testing';
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUnsigned, openPacket } from '../../src/wire/envelope.ts';
import { decodePacket, encodePacket, WireError } from '../../src/wire/index.ts';
import { recoverSender, sealPacket } from '../../src/wire/signature.ts';
import { findnode, ping } from './arbitraries.ts';
import { PRIV_B } from './helpers.ts';
import { KEY_B } from './vectors.ts';

describe('the envelope in two steps (what a worker thread runs apart)', () => {
  it('encodeUnsigned then sealPacket gives encodePacket', () => {
    fc.assert(
      fc.property(fc.oneof(ping, findnode), (packet) => {
        const whole = encodePacket(packet, PRIV_B);
        const out = encodeUnsigned(packet);
        expect(out.subarray(0, 97)).toEqual(new Uint8Array(97));
        const hash = sealPacket(out, PRIV_B);
        expect(out).toEqual(whole.bytes);
        expect(hash).toEqual(whole.hash);
      }),
      { numRuns: 30 },
    );
  });

  it('openPacket then recoverSender gives decodePacket', () => {
    fc.assert(
      fc.property(fc.oneof(ping, findnode), (packet) => {
        const { bytes } = encodePacket(packet, PRIV_B);
        const decoded = decodePacket(bytes);
        const opened = openPacket(bytes);
        expect(opened.packet).toEqual(decoded.packet);
        expect(opened.hash).toEqual(decoded.hash);
        expect(bytesToHex(recoverSender(bytes))).toBe(KEY_B.pub);
      }),
      { numRuns: 30 },
    );
  });

  it('openPacket checks everything but the signature; recoverSender rejects a bad one typed', () => {
    const packet = { type: 'enr-request', expiration: 1n } as const;
    const { bytes } = encodePacket(packet, PRIV_B);
    bytes[96] = 9; // a recovery id out of range, with the hash made right again
    bytes.set(keccak256(bytes.subarray(32)), 0);
    expect(openPacket(bytes).packet).toEqual({ ...packet, rest: [] });
    thrownError(() => recoverSender(bytes), WireError, 'BAD_SIGNATURE');
  });
});
