/**
 * The native backend: secp256k1 on the prebuilt N-API `secp256k1` addon (libsecp256k1), loaded
 * from `secp256k1/bindings` so that it can never fall back to the package's elliptic JS path.
 *
 * Keccak was measured both ways (µs/op, Node 20, x64, see the package README for the method):
 *
 * | operation                          | hash-wasm | keccak addon |
 * | ---------------------------------- | --------- | ------------ |
 * | keccak256, 32 B                    | 0.61      | 1.33         |
 * | keccak256, 1 KiB                   | 3.23      | 3.44         |
 * | keccak256, 100 KiB                 | 270       | 232          |
 * | state update(16–32 B) + digest     | 2.54      | 1.34         |
 *
 * One-shot hashing therefore uses hash-wasm (devp2p hashes small inputs: node IDs, packets) and
 * the incremental states, which RLPx updates and digests on every frame, use the addon's sponge.
 * Without the keccak addon the states fall back to hash-wasm.
 * @module
 */
import { createRequire } from 'node:module';
import { assertBytes } from '../bytes.ts';
import type { CryptoBackend, KeccakState } from '../types.ts';
import { createHashWasmKeccak } from './hash-wasm-keccak.ts';
import { loadNativeKeccakState } from './native-keccak.ts';
import {
  badCompressedKey,
  checkPrivateKey,
  checkRecoverable,
  checkVerifyArgs,
  isPrivateKeyBytes,
  type KeyMethods,
  notOnCurve,
  randomPrivateKey,
  reduceModOrder,
  type SignatureMethods,
  toSec1,
  unrecoverable,
} from './shared.ts';

/** The part of the `secp256k1` package's API (v5) this backend uses. */
interface Secp256k1Addon {
  publicKeyCreate(priv: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
  publicKeyVerify(pub: Uint8Array): boolean;
  publicKeyConvert(pub: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
  signatureNormalize(sig: Uint8Array): Uint8Array;
  ecdsaSign(
    msg32: Uint8Array,
    priv: Uint8Array,
    options: object,
    output: Uint8Array,
  ): { signature: Uint8Array; recid: number };
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pub: Uint8Array): boolean;
  ecdsaRecover(
    sig: Uint8Array,
    recid: number,
    msg32: Uint8Array,
    compressed: boolean,
    output?: Uint8Array,
  ): Uint8Array;
  ecdh(pub: Uint8Array, priv: Uint8Array, options: EcdhOptions, output: Uint8Array): Uint8Array;
}

interface EcdhOptions {
  hashfn(x: Uint8Array, y: Uint8Array): Uint8Array;
  xbuf: Uint8Array;
  ybuf: Uint8Array;
}

/**
 * ECDH options whose "hash" is the bare x-coordinate (the addon hashes with SHA-256 otherwise).
 * `publicKeyTweakMul` would be ~30% faster, but libsecp256k1 multiplies there in variable time;
 * `ecdh` uses the constant-time multiplication, which a secret scalar needs.
 */
const ECDH_X_ONLY: EcdhOptions = {
  hashfn: (x) => x,
  xbuf: new Uint8Array(32),
  ybuf: new Uint8Array(32),
};

/** ECDH options whose "hash" is the compressed shared point (parity byte, then x). */
const ECDH_COMPRESSED: EcdhOptions = {
  hashfn: (x, y) => {
    const out = new Uint8Array(33);
    out[0] = 0x02 | ((y[31] as number) & 1);
    out.set(x, 1);
    return out;
  },
  xbuf: new Uint8Array(32),
  ybuf: new Uint8Array(32),
};

const NO_OPTIONS = {};

/** Loads the addon. @throws {Error} when the prebuilt binary cannot load on this platform */
function loadAddon(): Secp256k1Addon {
  return createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Addon;
}

/** Key derivation, validation, compression and ECDH on a loaded addon. */
function keyMethods(secp: Secp256k1Addon): KeyMethods {
  /** priv·pub through the addon's constant-time ECDH, output shaped by `options`. */
  const ecdh = (priv: Uint8Array, pub: Uint8Array, options: EcdhOptions, size: number) => {
    checkPrivateKey(priv);
    const sec1 = toSec1(pub);
    try {
      return secp.ecdh(sec1, priv, options, new Uint8Array(size));
    } catch (err) {
      throw notOnCurve(err);
    }
  };
  return {
    generatePrivateKey: randomPrivateKey,
    isValidPrivateKey: isPrivateKeyBytes,
    publicKey(priv) {
      checkPrivateKey(priv);
      return secp.publicKeyCreate(priv, false).subarray(1);
    },
    isValidPublicKey: (pub) =>
      pub instanceof Uint8Array && pub.length === 64 && secp.publicKeyVerify(toSec1(pub)),
    compressPublicKey(pub) {
      const sec1 = toSec1(pub);
      try {
        return secp.publicKeyConvert(sec1, true);
      } catch (err) {
        throw notOnCurve(err);
      }
    },
    decompressPublicKey(compressed) {
      assertBytes('compressedPublicKey', compressed, 33);
      if (compressed[0] !== 0x02 && compressed[0] !== 0x03) throw badCompressedKey();
      try {
        return secp.publicKeyConvert(compressed, false).subarray(1);
      } catch (err) {
        throw badCompressedKey(err);
      }
    },
    ecdhX: (priv, pub) => ecdh(priv, pub, ECDH_X_ONLY, 32),
    ecdhCompressed: (priv, pub) => ecdh(priv, pub, ECDH_COMPRESSED, 33),
  };
}

/** Signing, recovery and verification on a loaded addon. */
function signatureMethods(secp: Secp256k1Addon): SignatureMethods {
  return {
    signRecoverable(hash, priv) {
      assertBytes('hash', hash, 32);
      checkPrivateKey(priv);
      const out = new Uint8Array(65);
      // The addon feeds the unreduced hash to RFC 6979; reducing it first gives the same
      // signature as noble and wasm for the (rare) hashes ≥ n. ECDSA itself reduces anyway.
      const msg = reduceModOrder(hash);
      out[64] = secp.ecdsaSign(msg, priv, NO_OPTIONS, out.subarray(0, 64)).recid;
      return out;
    },
    recover(hash, sig) {
      const v = checkRecoverable(hash, sig);
      try {
        return secp.ecdsaRecover(sig.subarray(0, 64), v, hash, false).subarray(1);
      } catch (err) {
        throw unrecoverable(err);
      }
    },
    verify(hash, sig, pub) {
      if (!checkVerifyArgs(hash, sig, pub)) return false;
      try {
        // libsecp256k1 rejects high s; the devp2p contract (and noble) accepts it.
        return secp.ecdsaVerify(secp.signatureNormalize(sig.slice()), hash, toSec1(pub));
      } catch {
        return false;
      }
    },
  };
}

/**
 * Loads the native backend.
 * @throws {Error} when the `secp256k1` addon cannot load (selection reports BACKEND_UNAVAILABLE)
 */
export async function loadNativeBackend(): Promise<CryptoBackend> {
  const secp = loadAddon();
  const hashWasm = await createHashWasmKeccak();
  let createKeccak256: () => KeccakState;
  try {
    createKeccak256 = loadNativeKeccakState();
  } catch {
    createKeccak256 = hashWasm.createKeccak256;
  }
  return {
    name: 'native',
    ...keyMethods(secp),
    ...signatureMethods(secp),
    keccak256: hashWasm.keccak256,
    createKeccak256,
  };
}
