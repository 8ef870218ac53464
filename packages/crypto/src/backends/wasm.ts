/**
 * The WASM backend: secp256k1 on `tiny-secp256k1` v2 (libsecp256k1 compiled to WebAssembly) and
 * keccak on `hash-wasm`. It needs no native binary, so it works wherever WebAssembly does.
 * @module
 */
import { assertBytes } from '../bytes.ts';
import type { CryptoBackend } from '../types.ts';
import { createHashWasmKeccak } from './hash-wasm-keccak.ts';
import {
  badCompressedKey,
  checkPrivateKey,
  checkRecoverable,
  checkVerifyArgs,
  isPrivateKeyBytes,
  type KeyMethods,
  notOnCurve,
  randomPrivateKey,
  type SignatureMethods,
  toSec1,
  unrecoverable,
} from './shared.ts';

type TinySecp256k1 = typeof import('tiny-secp256k1');

/** Key derivation, validation, compression and ECDH on a loaded tiny-secp256k1 module. */
function keyMethods(ecc: TinySecp256k1): KeyMethods {
  /** The SEC1 form of a 64-byte key. @throws {CryptoError} INVALID_PUBLIC_KEY off the curve */
  const pointOnCurve = (pub: Uint8Array): Uint8Array => {
    const sec1 = toSec1(pub);
    if (!ecc.isPoint(sec1)) throw notOnCurve();
    return sec1;
  };
  /** The compressed shared point priv·pub. */
  const sharedPoint = (priv: Uint8Array, pub: Uint8Array): Uint8Array => {
    checkPrivateKey(priv);
    const shared = ecc.pointMultiply(pointOnCurve(pub), priv, true);
    // Unreachable for a valid point and key: the curve has prime order and no cofactor.
    if (shared === null) throw notOnCurve();
    return shared;
  };
  return {
    generatePrivateKey: randomPrivateKey,
    isValidPrivateKey: isPrivateKeyBytes,
    publicKey(priv) {
      checkPrivateKey(priv);
      return (ecc.pointFromScalar(priv, false) as Uint8Array).subarray(1);
    },
    isValidPublicKey: (pub) =>
      pub instanceof Uint8Array && pub.length === 64 && ecc.isPoint(toSec1(pub)),
    compressPublicKey: (pub) => ecc.pointCompress(pointOnCurve(pub), true),
    decompressPublicKey(compressed) {
      assertBytes('compressedPublicKey', compressed, 33);
      if (!ecc.isPointCompressed(compressed)) throw badCompressedKey();
      return ecc.pointCompress(compressed, false).subarray(1);
    },
    ecdhX: (priv, pub) => sharedPoint(priv, pub).subarray(1),
    ecdhCompressed: sharedPoint,
  };
}

/** Signing, recovery and verification on a loaded tiny-secp256k1 module. */
function signatureMethods(ecc: TinySecp256k1): SignatureMethods {
  return {
    signRecoverable(hash, priv) {
      assertBytes('hash', hash, 32);
      checkPrivateKey(priv);
      const { signature, recoveryId } = ecc.signRecoverable(hash, priv);
      const out = new Uint8Array(65);
      out.set(signature);
      out[64] = recoveryId;
      return out;
    },
    recover(hash, sig) {
      const v = checkRecoverable(hash, sig);
      let pub: Uint8Array | null;
      try {
        pub = ecc.recover(hash, sig.subarray(0, 64), v, false);
      } catch (err) {
        throw unrecoverable(err);
      }
      if (pub === null) throw unrecoverable();
      return pub.subarray(1);
    },
    verify(hash, sig, pub) {
      if (!checkVerifyArgs(hash, sig, pub)) return false;
      const sec1 = toSec1(pub);
      // Non-strict verification accepts high s, as the devp2p contract (and noble) does.
      return ecc.isPoint(sec1) && ecc.verify(hash, sec1, sig, false);
    },
  };
}

/** Loads the WASM backend. @throws {Error} when WebAssembly or the modules are unavailable */
export async function loadWasmBackend(): Promise<CryptoBackend> {
  const ecc: TinySecp256k1 = await import('tiny-secp256k1');
  const keccak = await createHashWasmKeccak();
  return {
    name: 'wasm',
    ...keyMethods(ecc),
    ...signatureMethods(ecc),
    keccak256: keccak.keccak256,
    createKeccak256: keccak.createKeccak256,
  };
}
