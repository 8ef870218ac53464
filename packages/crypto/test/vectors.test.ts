/** Published secp256k1 and keccak-256 vectors, checked byte for byte on every backend. */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/index.ts';
import { backendRows, hex, toHex, utf8 } from './helpers/backends.ts';

// go-ethereum p2p/rlpx/rlpx_test.go: the RLPx handshake keys. Public keys derived (X‖Y) and
// cross-checked against the discv4 and ENR vectors signed by keyB.
const KEYS = [
  {
    name: 'keyA',
    priv: '49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee',
    pub: 'fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877',
  },
  {
    name: 'keyB',
    priv: 'b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291',
    pub: 'ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f',
  },
  {
    name: 'ephA',
    priv: '869d6ecf5211f1cc60418a13b9d870b22959d0c16f02bec714c960dd2298a32d',
    pub: '654d1044b69c577a44e5f01a1209523adb4026e70c62d1c13a067acabc09d2667a49821a0ad4b634554d330a15a58fe61f8a8e0544b310c6de7b0c8da7528a8d',
  },
  {
    name: 'ephB',
    priv: 'e238eb8e04fee6511ab04c6dd3c89ce097b11f25d584863ac2b6d5b35b1847e4',
    pub: 'b6d82fa3409da933dbf9cb0140c5dde89f4e64aec88d476af648880f4a10e1e49fe35ef3e69e93dd300b4797765a747c6384a6ecf5db9c2690398607a86181e4',
  },
  {
    // SEC 2 v2 §2.4.1: private key 1 gives the generator G.
    name: 'one',
    priv: '0000000000000000000000000000000000000000000000000000000000000001',
    pub:
      '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817984' +
      '83ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8',
  },
];

// go-ethereum crypto/ecies/ecies_test.go TestSharedKeyStatic: the 32-byte ECDH x-coordinate.
const ECIES_PRV1 = '7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad';
const ECIES_PRV2 = '6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9';
const ECIES_SHARED = '167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62';

// go-ethereum crypto/signature_test.go: testmsg, testsig (r‖s‖v) and testpubkey / testpubkeyc.
const GETH_MSG = 'ce0677bb30baa8cf067c88db9811f4333d131bf8bcf12fe7065d211dce971008';
const GETH_SIG =
  '90f27b8b488db00b00606796d2987f6a5f59ae62ea05effe84fef5b8b0e549984a691139ad57a3f0b906637673aa2f63d1f55cb1a69199d4009eea23ceaddc9301';
const GETH_PUB =
  'e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a0a2b2667f7e725ceea70c673093bf67663e0312623c8e091b13cf2c0f11ef652';
const GETH_PUB_COMPRESSED = '02e32df42865e97135acfb65f3bae71bdc86f4d49150ad6a440b6f15878109880a';

// go-ethereum crypto/signature_test.go TestVerifySignatureMalleable: a high-s signature by keyB.
// geth's VerifySignature rejects it; `verify` here accepts it (like noble with lowS: false), and
// callers that need geth's rule (the ENR "v4" scheme) add `isLowS`.
const MALLEABLE_SIG =
  '638a54215d80a6713c8d523a6adc4e6e73652d859103a36b700851cb0e61b66b8ebfc1a610c57d732ec6e0a8f06a9a7a28df5051ece514702ff9cdff0b11f454';
const MALLEABLE_MSG = 'd301ce462d3e639518f482c7f03821fec1e602018630ce621e1e7851c12343a6';

// RFC 6979 deterministic ECDSA on secp256k1 with SHA-256 of the message, low s. Published at
// https://bitcointalk.org/index.php?topic=285142.msg3150733 (used by python-ecdsa and trezor).
const RFC6979 = [
  {
    priv: '0000000000000000000000000000000000000000000000000000000000000001',
    msg: 'Satoshi Nakamoto',
    sig: '934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5',
  },
  {
    priv: '0000000000000000000000000000000000000000000000000000000000000001',
    msg: 'All those moments will be lost in time, like tears in rain. Time to die...',
    sig: '8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21',
  },
  {
    priv: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140',
    msg: 'Satoshi Nakamoto',
    sig: 'fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d06b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5',
  },
];

// Keccak-256 (original padding, as Ethereum uses it): "" and "abc" from go-ethereum
// crypto/crypto_test.go TestKeccak256Hash; the pangrams from the Keccak team's published examples.
const KECCAK = [
  ['', 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
  ['abc', '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
  [
    'The quick brown fox jumps over the lazy dog',
    '4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15',
  ],
  [
    'The quick brown fox jumps over the lazy dog.',
    '578951e24efd62a3d63a86f7cd19aaa53c898fe287d2552133220370240b572d',
  ],
];

// devp2p discv5/discv5-wire-test-vectors.md, "ECDH".
const DISCV5_ECDH = {
  publicKey: '039961e4c2356d61bedb83052c115d311acb3a96f5777296dcf297351130266231',
  secretKey: 'fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736',
  shared: '033b11a2a1f214567e1537ce5e509ffd9b21373247f2a3ff6841f4976f53165e7e',
};

describe.each(backendRows)('%s backend vectors', (_name, backend) => {
  it.each(KEYS)('derives the $name public key', ({ priv, pub }) => {
    expect(toHex(backend.publicKey(hex(priv)))).toBe(pub);
    expect(backend.isValidPrivateKey(hex(priv))).toBe(true);
    expect(backend.isValidPublicKey(hex(pub))).toBe(true);
  });

  it('computes the ECIES TestSharedKeyStatic shared secret from both sides', () => {
    const [p1, p2] = [hex(ECIES_PRV1), hex(ECIES_PRV2)];
    expect(toHex(backend.ecdhX(p1, backend.publicKey(p2)))).toBe(ECIES_SHARED);
    expect(toHex(backend.ecdhX(p2, backend.publicKey(p1)))).toBe(ECIES_SHARED);
  });

  it('computes the discv5 ECDH vector as a compressed point', () => {
    const shared = backend.ecdhCompressed(
      hex(DISCV5_ECDH.secretKey),
      backend.decompressPublicKey(hex(DISCV5_ECDH.publicKey)),
    );
    expect(toHex(shared)).toBe(DISCV5_ECDH.shared);
    expect(
      toHex(
        backend.ecdhX(
          hex(DISCV5_ECDH.secretKey),
          backend.decompressPublicKey(hex(DISCV5_ECDH.publicKey)),
        ),
      ),
    ).toBe(DISCV5_ECDH.shared.slice(2));
  });

  it('recovers and verifies the go-ethereum testsig', () => {
    expect(toHex(backend.recover(hex(GETH_MSG), hex(GETH_SIG)))).toBe(GETH_PUB);
    expect(backend.verify(hex(GETH_MSG), hex(GETH_SIG).subarray(0, 64), hex(GETH_PUB))).toBe(true);
    const wrongKey = hex(GETH_PUB);
    wrongKey[10] = (wrongKey[10] as number) + 1;
    expect(backend.verify(hex(GETH_MSG), hex(GETH_SIG).subarray(0, 64), wrongKey)).toBe(false);
  });

  it('compresses and decompresses the go-ethereum testpubkey', () => {
    expect(toHex(backend.compressPublicKey(hex(GETH_PUB)))).toBe(GETH_PUB_COMPRESSED);
    expect(toHex(backend.decompressPublicKey(hex(GETH_PUB_COMPRESSED)))).toBe(GETH_PUB);
  });

  it('accepts the high-s signature of TestVerifySignatureMalleable', () => {
    const keyB = hex(KEYS[1]?.pub ?? '');
    expect(backend.verify(hex(MALLEABLE_MSG), hex(MALLEABLE_SIG), keyB)).toBe(true);
  });

  it.each(RFC6979)('signs "$msg" deterministically (RFC 6979)', ({ priv, msg, sig }) => {
    const hash = sha256(utf8(msg));
    const signature = backend.signRecoverable(hash, hex(priv));
    expect(toHex(signature.subarray(0, 64))).toBe(sig);
    expect(signature[64]).toBeLessThanOrEqual(1);
    expect(toHex(backend.recover(hash, signature))).toBe(toHex(backend.publicKey(hex(priv))));
  });

  it.each(KECCAK)('hashes %j with keccak256', (input, digest) => {
    expect(toHex(backend.keccak256(utf8(input)))).toBe(digest);
    expect(toHex(backend.createKeccak256().update(utf8(input)).digest())).toBe(digest);
  });
});
