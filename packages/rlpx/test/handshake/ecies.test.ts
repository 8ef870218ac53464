import { thrownError } from '@ethp2p/base/testing';
import {
  bytesToHex,
  ecdhX,
  generatePrivateKey,
  hexToBytes,
  publicKey,
  randomBytes,
} from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatKdf,
  ECIES_OVERHEAD,
  eciesDecrypt,
  eciesEncrypt,
} from '../../src/handshake/index.ts';
import { RlpxError } from '../../src/index.ts';

// Vectors from go-ethereum crypto/ecies/ecies_test.go (TestKDF, TestSharedKeyStatic) @02b73d4e.
const KDF_OUTPUT =
  '858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0' +
  '700f1ab918a5f0413b8140f9940d6955f3467fd6672cce1024c5b1effccc0f61';
const PRV1 = '7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad';
const PRV2 = '6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9';
const SHARED = '167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62';

const empty = new Uint8Array(0);

function expectCode(fn: () => unknown, code: string): void {
  thrownError(fn, RlpxError, code);
}

describe('concatKdf', () => {
  it.each([6, 32, 48, 64])('matches the geth TestKDF vector for length %i', (length) => {
    const out = concatKdf(new TextEncoder().encode('input'), empty, length);
    expect(bytesToHex(out)).toBe(KDF_OUTPUT.slice(0, length * 2));
  });

  it('rejects a negative length with a RangeError', () => {
    expect(() => concatKdf(empty, empty, -1)).toThrow(RangeError);
  });
});

describe('ECDH shared secret', () => {
  it('matches the geth TestSharedKeyStatic vector in both directions', () => {
    const k1 = hexToBytes(PRV1);
    const k2 = hexToBytes(PRV2);
    expect(bytesToHex(ecdhX(k1, publicKey(k2)))).toBe(SHARED);
    expect(bytesToHex(ecdhX(k2, publicKey(k1)))).toBe(SHARED);
  });
});

describe('eciesEncrypt / eciesDecrypt', () => {
  const priv = generatePrivateKey();
  const pub = publicKey(priv);
  const mac = new Uint8Array([0x01, 0xb3]);

  it('round-trips any plaintext and shared MAC data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 4 }), (m, s2) => {
        const c = eciesEncrypt(pub, m, s2);
        expect(c.length).toBe(m.length + ECIES_OVERHEAD);
        expect(c[0]).toBe(0x04);
        expect(eciesDecrypt(priv, c, s2)).toEqual(m);
      }),
      { numRuns: 30 },
    );
  });

  it('is deterministic given the ephemeral key and IV', () => {
    const options = { ephemeralKey: generatePrivateKey(), iv: randomBytes(16) };
    const a = eciesEncrypt(pub, new Uint8Array([1, 2, 3]), mac, options);
    const b = eciesEncrypt(pub, new Uint8Array([1, 2, 3]), mac, options);
    expect(a).toEqual(b);
    expect(a.subarray(1, 65)).toEqual(publicKey(options.ephemeralKey));
    expect(a.subarray(65, 81)).toEqual(options.iv);
  });

  it('rejects an input shorter than the overhead', () => {
    const c = eciesEncrypt(pub, new Uint8Array(0), mac);
    expectCode(() => eciesDecrypt(priv, c.subarray(0, ECIES_OVERHEAD - 1), mac), 'ECIES_TOO_SHORT');
  });

  it.each([
    ['ciphertext', 90],
    ['tag', -1],
    ['IV', 70],
  ])('rejects a tampered %s with BAD_MAC', (_what, index) => {
    const c = eciesEncrypt(pub, new Uint8Array(40).fill(7), mac);
    const at = index < 0 ? c.length + index : index;
    c[at] = (c[at] as number) ^ 0x01;
    expectCode(() => eciesDecrypt(priv, c, mac), 'BAD_MAC');
  });

  it('rejects different shared MAC data with BAD_MAC', () => {
    const c = eciesEncrypt(pub, new Uint8Array(40), mac);
    expectCode(() => eciesDecrypt(priv, c, new Uint8Array([0x01, 0xb4])), 'BAD_MAC');
  });

  it('rejects the wrong recipient key with BAD_MAC', () => {
    const c = eciesEncrypt(pub, new Uint8Array(40), mac);
    expectCode(() => eciesDecrypt(generatePrivateKey(), c, mac), 'BAD_MAC');
  });

  it('rejects an ephemeral key off the curve with BAD_KEY', () => {
    const c = eciesEncrypt(pub, new Uint8Array(40), mac);
    c[64] = (c[64] as number) ^ 0x01; // last byte of Y: the point leaves the curve
    expectCode(() => eciesDecrypt(priv, c, mac), 'BAD_KEY');
  });

  it('rejects a valid but substituted ephemeral key with BAD_MAC', () => {
    const c = eciesEncrypt(pub, new Uint8Array(40), mac);
    c.set(publicKey(generatePrivateKey()), 1);
    expectCode(() => eciesDecrypt(priv, c, mac), 'BAD_MAC');
  });

  it.each([0x02, 0x03, 0x00, 0x05])('rejects an ephemeral key prefix 0x%s with BAD_KEY', (p) => {
    const c = eciesEncrypt(pub, new Uint8Array(40), mac);
    c[0] = p;
    expectCode(() => eciesDecrypt(priv, c, mac), 'BAD_KEY');
  });

  it('rejects encryption to an invalid public key with BAD_KEY', () => {
    expectCode(() => eciesEncrypt(new Uint8Array(64).fill(1), empty, empty), 'BAD_KEY');
  });

  it('throws only RlpxError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(() => eciesDecrypt(priv, bytes, mac)).toThrow(RlpxError);
      }),
      { numRuns: 200 },
    );
  });
});
