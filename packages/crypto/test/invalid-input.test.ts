/** Every backend rejects the same bad keys and signatures with the same typed errors. */
import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../src/backends/index.ts';
import { backendRows, expectCryptoError, hex, noble } from './helpers/backends.ts';

const N = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141';
const PRIV = hex('49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee');
const PUB = noble.publicKey(PRIV);
const HASH = noble.keccak256(Uint8Array.of(1, 2, 3));
const SIG = noble.signRecoverable(HASH, PRIV);

const BAD_PRIVATE_KEYS = [
  ['zero', new Uint8Array(32)],
  ['n', hex(N)],
  ['n + 1', hex(`${N.slice(0, 62)}42`)],
  ['2²⁵⁶ - 1', new Uint8Array(32).fill(0xff)],
] as const;

/** 64 bytes that are not a curve point: keyA with Y changed, x ≥ p, and the all-zero "point". */
const OFF_CURVE = [
  ['keyA with a changed y', Uint8Array.from(PUB, (b, i) => (i === 63 ? b ^ 1 : b))],
  ['x and y above p', new Uint8Array(64).fill(0xff)],
  ['all zero', new Uint8Array(64)],
] as const;

/** The smallest r for which 0x02‖r is not a point: a signature with it recovers nothing. */
function notAnX(): Uint8Array {
  for (let i = 1; ; i++) {
    const x = new Uint8Array(32);
    x[31] = i;
    try {
      noble.decompressPublicKey(Uint8Array.of(0x02, ...x));
    } catch {
      return x;
    }
  }
}

function withRS(r: Uint8Array | undefined, s: Uint8Array | undefined, v = 0): Uint8Array {
  const sig = SIG.slice();
  if (r) sig.set(r, 0);
  if (s) sig.set(s, 32);
  sig[64] = v;
  return sig;
}

const BAD_SIGNATURES = [
  ['r = 0', withRS(new Uint8Array(32), undefined)],
  ['s = 0', withRS(undefined, new Uint8Array(32))],
  ['r = n', withRS(hex(N), undefined)],
  ['s = n', withRS(undefined, hex(N))],
  ['r = 2²⁵⁶ - 1', withRS(new Uint8Array(32).fill(0xff), undefined)],
  ['r not an x-coordinate', withRS(notAnX(), undefined)],
] as const;

const GARBAGE: unknown[] = [
  undefined,
  null,
  'ab'.repeat(32),
  42,
  {},
  [],
  new Uint8Array(0),
  new Uint8Array(31),
  new Uint8Array(33),
  new Uint8Array(65),
  Array.from(PUB),
];

describe.each(backendRows)('%s backend rejects', (_name, b: CryptoBackend) => {
  it.each(BAD_PRIVATE_KEYS)('a %s private key with INVALID_PRIVATE_KEY', (_label, priv) => {
    expect(b.isValidPrivateKey(priv)).toBe(false);
    expectCryptoError(() => b.publicKey(priv), 'INVALID_PRIVATE_KEY');
    expectCryptoError(() => b.signRecoverable(HASH, priv), 'INVALID_PRIVATE_KEY');
    expectCryptoError(() => b.ecdhX(priv, PUB), 'INVALID_PRIVATE_KEY');
    expectCryptoError(() => b.ecdhCompressed(priv, PUB), 'INVALID_PRIVATE_KEY');
  });

  it('misused private keys with TypeError or RangeError', () => {
    expect(() => b.publicKey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => b.publicKey(new Uint8Array(33))).toThrow(RangeError);
    expect(() => b.publicKey('ab'.repeat(32) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => b.signRecoverable(HASH, PRIV.subarray(1))).toThrow(RangeError);
    expect(() => b.ecdhX(PRIV.subarray(1), PUB)).toThrow(RangeError);
  });

  it.each(OFF_CURVE)('a public key that is %s with INVALID_PUBLIC_KEY', (_label, pub) => {
    expect(b.isValidPublicKey(pub)).toBe(false);
    expectCryptoError(() => b.compressPublicKey(pub), 'INVALID_PUBLIC_KEY');
    expectCryptoError(() => b.ecdhX(PRIV, pub), 'INVALID_PUBLIC_KEY');
    expectCryptoError(() => b.ecdhCompressed(PRIV, pub), 'INVALID_PUBLIC_KEY');
    expect(b.verify(HASH, SIG.subarray(0, 64), pub)).toBe(false);
  });

  it('public keys of the wrong length with RangeError, SEC1 65-byte keys included', () => {
    const sec1 = Uint8Array.of(0x04, ...PUB);
    expect(() => b.compressPublicKey(sec1)).toThrow(RangeError);
    expect(() => b.ecdhX(PRIV, sec1)).toThrow(RangeError);
    expect(() => b.ecdhX(PRIV, PUB.subarray(1))).toThrow(RangeError);
    expect(() => b.ecdhCompressed(PRIV, sec1)).toThrow(RangeError);
    expect(() => b.verify(HASH, SIG.subarray(0, 64), sec1)).toThrow(RangeError);
    expect(() => b.decompressPublicKey(sec1)).toThrow(RangeError);
    const notBytes = Array.from(PUB) as unknown as Uint8Array;
    expect(() => b.compressPublicKey(notBytes)).toThrow(TypeError);
    expect(() => b.ecdhX(PRIV, notBytes)).toThrow(TypeError);
    expect(() => b.verify(HASH, SIG.subarray(0, 64), notBytes)).toThrow(TypeError);
  });

  it('compressed keys that are not points with INVALID_PUBLIC_KEY', () => {
    const compressed = b.compressPublicKey(PUB);
    expectCryptoError(
      () => b.decompressPublicKey(Uint8Array.of(0x04, ...compressed.subarray(1))),
      'INVALID_PUBLIC_KEY',
    );
    expectCryptoError(
      () => b.decompressPublicKey(Uint8Array.of(0x00, ...compressed.subarray(1))),
      'INVALID_PUBLIC_KEY',
    );
    expectCryptoError(
      () => b.decompressPublicKey(Uint8Array.of(0x02, ...notAnX())),
      'INVALID_PUBLIC_KEY',
    );
    expectCryptoError(
      () => b.decompressPublicKey(new Uint8Array(33).fill(0xff).fill(0x03, 0, 1)),
      'INVALID_PUBLIC_KEY',
    );
  });

  it.each([2, 3, 27, 28, 255])('recovery id %i with INVALID_SIGNATURE', (v) => {
    const sig = SIG.slice();
    sig[64] = v;
    expectCryptoError(() => b.recover(HASH, sig), 'INVALID_SIGNATURE');
  });

  it.each(BAD_SIGNATURES)('a signature with %s', (_label, sig) => {
    expectCryptoError(() => b.recover(HASH, sig), 'INVALID_SIGNATURE');
    expectCryptoError(
      () => b.recover(HASH, withRS(sig.subarray(0, 32), sig.subarray(32, 64), 1)),
      'INVALID_SIGNATURE',
    );
    expect(b.verify(HASH, sig.subarray(0, 64), PUB)).toBe(false);
  });

  it('hashes and signatures of the wrong length with RangeError', () => {
    expect(() => b.signRecoverable(HASH.subarray(1), PRIV)).toThrow(RangeError);
    expect(() => b.recover(HASH.subarray(1), SIG)).toThrow(RangeError);
    expect(() => b.recover(HASH, SIG.subarray(0, 64))).toThrow(RangeError);
    expect(() => b.verify(HASH, SIG, PUB)).toThrow(RangeError);
    expect(() => b.verify(HASH.subarray(1), SIG.subarray(0, 64), PUB)).toThrow(RangeError);
  });

  it('nothing in isValidPublicKey or isValidPrivateKey: garbage gives false', () => {
    for (const value of GARBAGE) {
      expect(b.isValidPublicKey(value as Uint8Array)).toBe(false);
      expect(b.isValidPrivateKey(value as Uint8Array)).toBe(false);
    }
  });

  it('a signature of another hash or by another key in verify', () => {
    const other = b.keccak256(Uint8Array.of(9));
    expect(b.verify(other, SIG.subarray(0, 64), PUB)).toBe(false);
    expect(b.verify(HASH, SIG.subarray(0, 64), b.publicKey(other))).toBe(false);
    expect(b.verify(HASH, SIG.subarray(0, 64), PUB)).toBe(true);
  });
});
