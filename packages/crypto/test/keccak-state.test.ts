/** The incremental keccak-256 state: non-consuming digests, on every backend. */
import { describe, expect, it } from 'vitest';
import { backendRows, hex, toHex, utf8 } from './helpers/backends.ts';

// go-ethereum p2p/rlpx/rlpx_test.go TestHandshakeForwardCompatibility: node B (recipient) seeds its
// ingress MAC with (mac-secret XOR nonceB) ‖ Auth₂ (the EIP-8 auth packet, size prefix included),
// absorbs "foo" and digests.
const AUTH2 =
  '01b304ab7578555167be8154d5cc456f567d5ba302662433674222360f08d5f1534499d3678b513b0fca474f3a514b18' +
  'e75683032eb63fccb16c156dc6eb2c0b1593f0d84ac74f6e475f1b8d56116b849634a8c458705bf83a626ea0384d4d73' +
  '41aae591fae42ce6bd5c850bfe0b999a694a49bbbaf3ef6cda61110601d3b4c02ab6c30437257a6e0117792631a4b47c' +
  '1d52fc0f8f89caadeb7d02770bf999cc147d2df3b62e1ffb2c9d8c125a3984865356266bca11ce7d3a688663a51d82de' +
  'faa8aad69da39ab6d5470e81ec5f2a7a47fb865ff7cca21516f9299a07b1bc63ba56c7a1a892112841ca44b6e0034dee' +
  '70c9adabc15d76a54f443593fafdc3b27af8059703f88928e199cb122362a4b35f62386da7caad09c001edaeb5f8a06d' +
  '2b26fb6cb93c52a9fca51853b68193916982358fe1e5369e249875bb8d0d0ec36f917bc5e1eafd5896d46bd61ff23f1a' +
  '863a8a8dcd54c7b109b771c8e61ec9c8908c733c0263440e2aa067241aaa433f0bb053c7b31a838504b148f570c0ad62' +
  '837129e547678c5190341e4f1693956c3bf7678318e2d5b5340c9e488eefea198576344afbdf66db5f51204a6961a63c' +
  'e072c8926c';
const MAC_SECRET = '2ea74ec5dae199227dff1af715362700e989d889d7a493cb0639691efb8e5f98';
const NONCE_B = '559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd';
const INGRESS_MAC_FOO = '0c7ec6340062cc46f5e9f1e3cf86f8c8c403c5a0964f5df0ebd34a75ddc86db5';

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((x, i) => x ^ (b[i] as number));
}

describe.each(backendRows)('%s backend keccak state', (_name, backend) => {
  it('reproduces the RLPx ingress MAC of the EIP-8 handshake vector', () => {
    const mac = backend.createKeccak256();
    mac.update(xor(hex(MAC_SECRET), hex(NONCE_B))).update(hex(AUTH2));
    expect(hex(AUTH2).length).toBe(437);
    expect(toHex(mac.update(utf8('foo')).digest())).toBe(INGRESS_MAC_FOO);
  });

  it('digests without consuming: update, digest, update, digest', () => {
    const a = utf8('first chunk of a frame');
    const b = new Uint8Array(300).map((_, i) => i);
    const state = backend.createKeccak256();
    const d1 = state.update(a).digest();
    expect(state.digest()).toEqual(d1);
    const d2 = state.update(b).digest();
    expect(d1).toEqual(backend.keccak256(a));
    expect(d2).toEqual(backend.keccak256(new Uint8Array([...a, ...b])));
    expect(state.digest()).toEqual(d2);
  });

  it('digests an untouched state to keccak256 of nothing', () => {
    expect(toHex(backend.createKeccak256().digest())).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('keeps interleaved states apart', () => {
    const egress = backend.createKeccak256();
    const ingress = backend.createKeccak256();
    const sent: number[] = [];
    const received: number[] = [];
    for (let i = 0; i < 20; i++) {
      const chunk = new Uint8Array(16 + (i % 17)).fill(i);
      const target = i % 3 === 0 ? ingress : egress;
      (i % 3 === 0 ? received : sent).push(...chunk);
      target.update(chunk);
      expect(target.digest()).toEqual(
        backend.keccak256(Uint8Array.from(i % 3 === 0 ? received : sent)),
      );
      // A one-shot hash in between must not disturb either state.
      backend.keccak256(chunk);
    }
    expect(egress.digest()).toEqual(backend.keccak256(Uint8Array.from(sent)));
    expect(ingress.digest()).toEqual(backend.keccak256(Uint8Array.from(received)));
  });

  it('keeps states apart when updates interleave with no digest in between', () => {
    const a = backend.createKeccak256();
    const b = backend.createKeccak256();
    a.update(utf8('alpha'));
    b.update(utf8('beta'));
    a.update(utf8('-one'));
    const fresh = backend.createKeccak256();
    b.update(utf8('-two'));
    expect(toHex(a.digest())).toBe(toHex(backend.keccak256(utf8('alpha-one'))));
    expect(toHex(b.digest())).toBe(toHex(backend.keccak256(utf8('beta-two'))));
    expect(toHex(fresh.update(utf8('x')).digest())).toBe(toHex(backend.keccak256(utf8('x'))));
    expect(toHex(a.update(utf8('!')).digest())).toBe(toHex(backend.keccak256(utf8('alpha-one!'))));
  });
});

// The keccak addon ships prebuilt binaries for these platforms; there the native backend's states
// must run on it under every Node that CI runs (20 and 24), not silently on the hash-wasm fallback.
const KECCAK_PREBUILT = ['linux-x64', 'darwin-x64', 'win32-x64'].includes(
  `${process.platform}-${process.arch}`,
);

describe.runIf(KECCAK_PREBUILT)('keccak addon', () => {
  it('loads on this platform and Node', async () => {
    const { loadNativeKeccakState } = await import('../src/backends/native-keccak.ts');
    const state = loadNativeKeccakState()();
    expect(toHex(state.update(utf8('foo')).digest())).toBe(
      '41b1a0649752af1b28b3dc29a1556eee781e4a4c3a1f7f53f90fa834de098c4d',
    );
  });
});
