/**
 * Differential properties: on random keys, hashes and data, every backend gives the same bytes
 * and accepts what the others produce. Run counts stay small because noble recovers in ~3 ms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../src/backends/index.ts';
import { backends, noble, toHex } from './helpers/backends.ts';

const RUNS = 40;
const N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

/** The big-endian integer in `bytes`. */
function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${toHex(bytes)}`);
}

const privateKey = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .filter((k) => noble.isValidPrivateKey(k));
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Calls `fn` on every backend and expects one common hex result (or one common error code). */
function agree(fn: (b: CryptoBackend) => Uint8Array): string {
  const results = backends.map((b) => {
    try {
      return toHex(fn(b));
    } catch (err) {
      return `error: ${(err as { code?: string }).code ?? String(err)}`;
    }
  });
  for (const r of results) expect(r).toBe(results[0]);
  return results[0] as string;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

describe('backends agree', () => {
  it('on public keys and their compressed round trip', () => {
    fc.assert(
      fc.property(privateKey, (priv) => {
        const pub = agree((b) => b.publicKey(priv));
        agree((b) => b.compressPublicKey(b.publicKey(priv)));
        for (const b of backends) {
          const p = b.publicKey(priv);
          expect(b.isValidPublicKey(p)).toBe(true);
          expect(toHex(b.decompressPublicKey(b.compressPublicKey(p)))).toBe(pub);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('on signatures: identical (RFC 6979), recovered and verified by every backend', () => {
    fc.assert(
      fc.property(privateKey, hash32, (priv, hash) => {
        const pub = toHex(noble.publicKey(priv));
        agree((b) => b.signRecoverable(hash, priv));
        for (const signer of backends) {
          const sig = signer.signRecoverable(hash, priv);
          expect(sig[64]).toBeLessThanOrEqual(1);
          expect(toBigInt(sig.subarray(32, 64)) <= N / 2n).toBe(true);
          for (const b of backends) {
            expect(toHex(b.recover(hash, sig))).toBe(pub);
            expect(b.verify(hash, sig.subarray(0, 64), b.publicKey(priv))).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('on signatures of hashes at or above the curve order (reduced as RFC 6979 says)', () => {
    const seven = new Uint8Array(32);
    seven[31] = 7;
    const n = hexBytes('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
    for (const hash of [new Uint8Array(32).fill(0xff), n]) {
      agree((b) => b.signRecoverable(hash, seven));
      for (const b of backends)
        expect(b.recover(hash, b.signRecoverable(hash, seven))).toEqual(noble.publicKey(seven));
    }
  });

  it('on high-s signatures: recovered with the flipped v and verified', () => {
    fc.assert(
      fc.property(privateKey, hash32, (priv, hash) => {
        const sig = noble.signRecoverable(hash, priv);
        const s = toBigInt(sig.subarray(32, 64));
        const high = sig.slice();
        high.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), 32);
        high[64] = (sig[64] as number) ^ 1;
        expect(agree((b) => b.recover(hash, high))).toBe(toHex(noble.publicKey(priv)));
        for (const b of backends) {
          expect(b.verify(hash, high.subarray(0, 64), noble.publicKey(priv))).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('on random signatures: the same key or the same error', () => {
    const sig = fc.tuple(
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      fc.integer({ min: 0, max: 1 }),
    );
    fc.assert(
      fc.property(hash32, sig, (hash, [rs, v]) => {
        agree((b) => b.recover(hash, Uint8Array.of(...rs, v)));
      }),
      { numRuns: RUNS },
    );
  });

  it('on random 33-byte keys: the same point or INVALID_PUBLIC_KEY', () => {
    const compressed = fc.tuple(
      fc.constantFrom(2, 3),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
    );
    fc.assert(
      fc.property(compressed, ([prefix, x]) => {
        const out = agree((b) => b.decompressPublicKey(Uint8Array.of(prefix, ...x)));
        expect(out.startsWith('error') ? out : 'ok').toMatch(/^(ok|error: INVALID_PUBLIC_KEY)$/);
      }),
      { numRuns: 100 },
    );
  });

  it('on random 64-byte public keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (pub) => {
        const valid = backends.map((b) => b.isValidPublicKey(pub));
        expect(new Set(valid).size).toBe(1);
      }),
      { numRuns: 100 },
    );
  });

  it('on ECDH from both sides', () => {
    fc.assert(
      fc.property(privateKey, privateKey, (a, b) => {
        const ab = agree((x) => x.ecdhX(a, noble.publicKey(b)));
        expect(agree((x) => x.ecdhX(b, noble.publicKey(a)))).toBe(ab);
        const compressed = agree((x) => x.ecdhCompressed(a, noble.publicKey(b)));
        expect(agree((x) => x.ecdhCompressed(b, noble.publicKey(a)))).toBe(compressed);
        expect(compressed.slice(2)).toBe(ab);
      }),
      { numRuns: RUNS },
    );
  });

  it('on keccak256 of random data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (data) => {
        agree((b) => b.keccak256(data));
      }),
      { numRuns: 200 },
    );
  });

  it('on keccak states updated in random splits and digested in between', () => {
    const chunks = fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 12 });
    fc.assert(
      fc.property(chunks, (parts) => {
        const states = backends.map((b) => b.createKeccak256());
        const seen: number[] = [];
        for (const part of parts) {
          seen.push(...part);
          const want = toHex(noble.keccak256(Uint8Array.from(seen)));
          for (const state of states) expect(toHex(state.update(part).digest())).toBe(want);
        }
      }),
      { numRuns: 100 },
    );
  });
});
