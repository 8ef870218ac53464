/** SHA-256, HMAC-SHA256 and AES against their published vectors. These are backend-independent. */
import { describe, expect, it } from 'vitest';
import {
  aes128GcmOpen,
  aes128GcmSeal,
  createAes256Block,
  createAesCtr,
  hkdfSha256,
  hmacSha256,
  sha256,
} from '../src/index.ts';
import { hex, toHex, utf8 } from './helpers/backends.ts';

// FIPS 180-2 appendix B (and the empty string from NIST's example values).
const SHA256 = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
];

// RFC 4231 §4, HMAC-SHA-256 results of test cases 1-4, 6 and 7 (5 truncates the output).
const AA_131 = 'aa'.repeat(131);
const HMAC = [
  {
    tc: 1,
    key: '0b'.repeat(20),
    data: toHex(utf8('Hi There')),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    tc: 2,
    key: toHex(utf8('Jefe')),
    data: toHex(utf8('what do ya want for nothing?')),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    tc: 3,
    key: 'aa'.repeat(20),
    data: 'dd'.repeat(50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    tc: 4,
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data: 'cd'.repeat(50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    tc: 6,
    key: AA_131,
    data: toHex(utf8('Test Using Larger Than Block-Size Key - Hash Key First')),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    tc: 7,
    key: AA_131,
    data: toHex(
      utf8(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

// NIST SP 800-38A appendix F.5.1 (CTR-AES128) and F.5.5 (CTR-AES256): same counter block and
// plaintext, four blocks.
const CTR_IV = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';
const CTR_PLAIN =
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
const CTR = [
  {
    bits: 128,
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    cipher:
      '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee',
  },
  {
    bits: 256,
    key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
    cipher:
      '601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6',
  },
];

// FIPS-197 appendix C.3: AES-256 single block.
const AES256_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const AES256_PLAIN = '00112233445566778899aabbccddeeff';
const AES256_CIPHER = '8ea2b7ca516745bfeafc49904b496089';

describe('sha256', () => {
  it.each(SHA256)('hashes %j', (input, digest) => {
    expect(toHex(sha256(utf8(input)))).toBe(digest);
  });
});

describe('hmacSha256', () => {
  it.each(HMAC)('matches RFC 4231 test case $tc', ({ key, data, mac }) => {
    expect(toHex(hmacSha256(hex(key), hex(data)))).toBe(mac);
  });

  it('MACs the concatenation of its parts', () => {
    const { key, data, mac } = HMAC.find((v) => v.tc === 7) as (typeof HMAC)[number];
    const bytes = hex(data);
    expect(toHex(hmacSha256(hex(key), bytes.subarray(0, 7), bytes.subarray(7)))).toBe(mac);
  });
});

describe('createAesCtr', () => {
  it.each(CTR)('encrypts the SP 800-38A AES-$bits CTR vector', ({ key, cipher }) => {
    expect(toHex(createAesCtr(hex(key), hex(CTR_IV)).update(hex(CTR_PLAIN)))).toBe(cipher);
  });

  it.each(CTR)('continues the AES-$bits keystream across uneven updates', ({ key, cipher }) => {
    const stream = createAesCtr(hex(key), hex(CTR_IV));
    const plain = hex(CTR_PLAIN);
    const parts = [plain.subarray(0, 5), plain.subarray(5, 37), plain.subarray(37)];
    expect(parts.map((p) => toHex(stream.update(p))).join('')).toBe(cipher);
  });

  it('decrypts with a second stream on the same key and IV', () => {
    const { key, cipher } = CTR[1] as (typeof CTR)[number];
    expect(toHex(createAesCtr(hex(key), hex(CTR_IV)).update(hex(cipher)))).toBe(CTR_PLAIN);
  });

  it('rejects wrong key and IV lengths', () => {
    expect(() => createAesCtr(new Uint8Array(24), new Uint8Array(16))).toThrow(RangeError);
    expect(() => createAesCtr(new Uint8Array(16), new Uint8Array(12))).toThrow(RangeError);
  });
});

describe('createAes256Block', () => {
  it('encrypts the FIPS-197 C.3 block, repeatedly with one key', () => {
    const aes = createAes256Block(hex(AES256_KEY));
    expect(toHex(aes.encryptBlock(hex(AES256_PLAIN)))).toBe(AES256_CIPHER);
    expect(toHex(aes.encryptBlock(hex(AES256_PLAIN)))).toBe(AES256_CIPHER);
  });

  it('rejects wrong key and block lengths', () => {
    expect(() => createAes256Block(new Uint8Array(16))).toThrow(RangeError);
    expect(() => createAes256Block(hex(AES256_KEY)).encryptBlock(new Uint8Array(15))).toThrow(
      RangeError,
    );
  });
});

// RFC 5869 appendix A, test cases 1 and 3 (SHA-256).
const HKDF = [
  {
    tc: 1,
    ikm: '0b'.repeat(22),
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    tc: 3,
    ikm: '0b'.repeat(22),
    salt: '',
    info: '',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

// The GCM specification (McGrew and Viega), AES-128 test cases 1, 2 and 4; and the discv5 wire
// test vectors' "Encryption/Decryption" case (devp2p discv5/discv5-wire-test-vectors.md).
const GCM = [
  {
    name: 'GCM spec test case 1',
    key: '00'.repeat(16),
    nonce: '00'.repeat(12),
    pt: '',
    ad: '',
    sealed: '58e2fccefa7e3061367f1d57a4e7455a',
  },
  {
    name: 'GCM spec test case 2',
    key: '00'.repeat(16),
    nonce: '00'.repeat(12),
    pt: '00'.repeat(16),
    ad: '',
    sealed: '0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf',
  },
  {
    name: 'GCM spec test case 4',
    key: 'feffe9928665731c6d6a8f9467308308',
    nonce: 'cafebabefacedbaddecaf888',
    pt: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    sealed:
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091' +
      '5bc94fbc3221a5db94fae95ae7121a47',
  },
  {
    name: 'discv5 encryption vector',
    key: '9f2d77db7004bf8a1a85107ac686990b',
    nonce: '27b5af763c446acd2749fe8e',
    pt: '01c20101',
    ad: '93a7400fa0d6a694ebc24d5cf570f65d04215b6ac00757875e3f3a5f42107903',
    sealed: 'a5d12a2d94b8ccb3ba55558229867dc13bfa3648',
  },
];

describe('hkdfSha256', () => {
  it.each(HKDF)('matches RFC 5869 test case $tc', ({ ikm, salt, info, okm }) => {
    expect(toHex(hkdfSha256(hex(ikm), hex(salt), hex(info), okm.length / 2))).toBe(okm);
  });

  it('rejects lengths outside 1-8160 and non-byte inputs', () => {
    const b = new Uint8Array(4);
    expect(() => hkdfSha256(b, b, b, 0)).toThrow(RangeError);
    expect(() => hkdfSha256(b, b, b, 8161)).toThrow(RangeError);
    expect(() => hkdfSha256('ab' as unknown as Uint8Array, b, b, 32)).toThrow(TypeError);
  });
});

describe('aes128GcmSeal and aes128GcmOpen', () => {
  it.each(GCM)('seal and open the $name', ({ key, nonce, pt, ad, sealed }) => {
    expect(toHex(aes128GcmSeal(hex(key), hex(nonce), hex(pt), hex(ad)))).toBe(sealed);
    const opened = aes128GcmOpen(hex(key), hex(nonce), hex(sealed), hex(ad));
    expect(opened && toHex(opened)).toBe(pt);
  });

  it('open returns undefined for a flipped bit, other data, or input shorter than a tag', () => {
    const { key, nonce, ad, sealed } = GCM[3] as (typeof GCM)[number];
    for (let i = 0; i < hex(sealed).length; i++) {
      const bad = hex(sealed);
      bad[i] = (bad[i] as number) ^ 1;
      expect(aes128GcmOpen(hex(key), hex(nonce), bad, hex(ad))).toBeUndefined();
    }
    expect(aes128GcmOpen(hex(key), hex(nonce), hex(sealed), hex(`${ad}00`))).toBeUndefined();
    expect(aes128GcmOpen(hex(key), hex(nonce), hex(sealed).subarray(0, 15), hex(ad))).toBe(
      undefined,
    );
  });

  it('rejects wrong key and nonce lengths', () => {
    const data = new Uint8Array(20);
    expect(() => aes128GcmSeal(new Uint8Array(32), new Uint8Array(12), data, data)).toThrow(
      RangeError,
    );
    expect(() => aes128GcmOpen(new Uint8Array(16), new Uint8Array(16), data, data)).toThrow(
      RangeError,
    );
  });
});
