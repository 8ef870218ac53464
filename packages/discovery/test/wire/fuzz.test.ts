import { RLP } from '@ethereumjs/rlp';
import { hexToBytes, keccak256 } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, MAX_DATAGRAM_SIZE } from '../../src/wire/index.ts';
import { nested, packet } from './arbitraries.ts';
import { PRIV_B, seal, throwsOnlyWireError } from './helpers.ts';
import { FINDNODE_EXTRA_HEX, NEIGHBORS_EXTRA_HEX, PING_EXTRA_HEX, PING_HEX } from './vectors.ts';

const VECTORS = [PING_HEX, PING_EXTRA_HEX, FINDNODE_EXTRA_HEX, NEIGHBORS_EXTRA_HEX].map((h) =>
  hexToBytes(h),
);
const anyType = fc.integer({ min: 0, max: 255 });
const knownType = fc.integer({ min: 1, max: 6 });
const sig65 = fc.uint8Array({ minLength: 65, maxLength: 65 });

/** Re-hashes a datagram after its signature/type/body bytes were changed. */
function rehash(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out.set(keccak256(out.subarray(32)), 0);
  return out;
}

describe('decodePacket throws nothing but WireError on bad input', () => {
  it('random bytes of any length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MAX_DATAGRAM_SIZE + 64 }), (bytes) => {
        expect(throwsOnlyWireError(() => decodePacket(bytes))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a correct hash around random signature, type and body', () => {
    fc.assert(
      fc.property(sig65, anyType, fc.uint8Array({ maxLength: 300 }), (sig, type, body) => {
        throwsOnlyWireError(() => decodePacket(seal(type, body, sig)));
      }),
      { numRuns: 500 },
    );
  });

  it('a correct hash around RLP bodies of the wrong shape for each type', () => {
    fc.assert(
      fc.property(
        sig65,
        knownType,
        nested,
        fc.uint8Array({ maxLength: 8 }),
        (sig, type, body, tail) => {
          const bytes = seal(type, Uint8Array.from([...RLP.encode(body), ...tail]), sig);
          throwsOnlyWireError(() => decodePacket(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('every truncation of the geth vectors', () => {
    for (const v of VECTORS) {
      for (let n = 0; n < v.length; n++) {
        const cut = v.subarray(0, n);
        expect(throwsOnlyWireError(() => decodePacket(cut))).toBe(true);
        // Truncated bodies with a correct hash reach the RLP parser.
        if (n > 98) throwsOnlyWireError(() => decodePacket(rehash(cut)));
      }
    }
  });

  it('every single bit flip of the geth vectors, with the hash left alone and recomputed', () => {
    for (const v of VECTORS) {
      for (let bit = 0; bit < v.length * 8; bit++) {
        const flipped = v.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7));
        expect(throwsOnlyWireError(() => decodePacket(flipped))).toBe(true);
        if (bit >= 32 * 8) throwsOnlyWireError(() => decodePacket(rehash(flipped)));
      }
    }
  });

  it('random byte edits of valid packets, re-hashed', () => {
    const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(packet, fc.array(edit, { minLength: 1, maxLength: 4 }), (p, edits) => {
        const bytes = encodePacket(p, PRIV_B).bytes.slice();
        for (const [at, value] of edits) bytes[97 + (at % (bytes.length - 97))] = value;
        throwsOnlyWireError(() => decodePacket(rehash(bytes)));
      }),
      { numRuns: 300 },
    );
  });
});
