/**
 * The pure-JS backend on @noble/curves and @noble/hashes: portable, audited and slow. It is the
 * reference the other backends are tested against.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { assertBytes, concatBytes } from '../bytes.ts';
import type { CryptoBackend, KeccakState } from '../types.ts';
import {
  badCompressedKey,
  checkPrivateKey,
  checkRecoverable,
  checkVerifyArgs,
  isPrivateKeyBytes,
  notOnCurve,
  toSec1,
  unrecoverable,
} from './shared.ts';

/** The SEC1 form of a 64-byte key, checked to be on the curve. */
function curvePoint(pub: Uint8Array): Uint8Array {
  const sec1 = toSec1(pub);
  if (!secp256k1.utils.isValidPublicKey(sec1, false)) throw notOnCurve();
  return sec1;
}

function keccakState(inner = keccak_256.create()): KeccakState {
  const state: KeccakState = {
    update(data) {
      inner.update(data);
      return state;
    },
    digest: () => inner.clone().digest(),
  };
  return state;
}

/** The noble backend. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  generatePrivateKey: () => secp256k1.utils.randomSecretKey(),
  isValidPrivateKey: isPrivateKeyBytes,
  publicKey(priv) {
    checkPrivateKey(priv);
    return secp256k1.getPublicKey(priv, false).subarray(1);
  },
  isValidPublicKey(pub) {
    if (!(pub instanceof Uint8Array) || pub.length !== 64) return false;
    return secp256k1.utils.isValidPublicKey(toSec1(pub), false);
  },
  compressPublicKey: (pub) => secp256k1.Point.fromBytes(curvePoint(pub)).toBytes(true),
  decompressPublicKey(compressed) {
    assertBytes('compressedPublicKey', compressed, 33);
    try {
      return secp256k1.Point.fromBytes(compressed).toBytes(false).subarray(1);
    } catch (err) {
      throw badCompressedKey(err);
    }
  },
  signRecoverable(hash, priv) {
    assertBytes('hash', hash, 32);
    checkPrivateKey(priv);
    // noble's 'recovered' layout is v‖r‖s; devp2p wants r‖s‖v.
    const sig = secp256k1.sign(hash, priv, { prehash: false, format: 'recovered' });
    return concatBytes(sig.subarray(1), sig.subarray(0, 1));
  },
  recover(hash, sig) {
    const v = checkRecoverable(hash, sig);
    try {
      const nobleSig = concatBytes(Uint8Array.of(v), sig.subarray(0, 64));
      return secp256k1.Signature.fromBytes(nobleSig, 'recovered')
        .recoverPublicKey(hash)
        .toBytes(false)
        .subarray(1);
    } catch (err) {
      throw unrecoverable(err);
    }
  },
  verify(hash, sig, pub) {
    if (!checkVerifyArgs(hash, sig, pub)) return false;
    try {
      return secp256k1.verify(sig, hash, toSec1(pub), {
        prehash: false,
        lowS: false,
      });
    } catch {
      return false;
    }
  },
  ecdhX: (priv, pub) => nobleBackend.ecdhCompressed(priv, pub).subarray(1),
  ecdhCompressed(priv, pub) {
    checkPrivateKey(priv);
    return secp256k1.getSharedSecret(priv, curvePoint(pub), true);
  },
  keccak256: (data) => keccak_256(data),
  createKeccak256: () => keccakState(),
};
