/**
 * The pure-JS backend on @noble/curves and @noble/hashes: portable, audited and slow. It is the
 * reference the other backends are tested against.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { assertBytes, concatBytes } from '../bytes.ts';
import { CryptoError } from '../errors.ts';
import type { CryptoBackend, KeccakState } from '../types.ts';

const SEC1_UNCOMPRESSED = Uint8Array.of(0x04);

/** Adds the SEC1 0x04 prefix to a 64-byte key, checking that the point is on the curve. */
function toSec1(pub: Uint8Array): Uint8Array {
  assertBytes('publicKey', pub, 64);
  const sec1 = concatBytes(SEC1_UNCOMPRESSED, pub);
  if (!secp256k1.utils.isValidPublicKey(sec1, false)) {
    throw new CryptoError('INVALID_PUBLIC_KEY', 'public key is not on the curve');
  }
  return sec1;
}

function checkPrivateKey(priv: Uint8Array): void {
  assertBytes('privateKey', priv, 32);
  if (!secp256k1.utils.isValidSecretKey(priv)) {
    throw new CryptoError(
      'INVALID_PRIVATE_KEY',
      'private key is zero or not below the curve order',
    );
  }
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
  isValidPrivateKey: (priv) =>
    priv instanceof Uint8Array && priv.length === 32 && secp256k1.utils.isValidSecretKey(priv),
  publicKey(priv) {
    checkPrivateKey(priv);
    return secp256k1.getPublicKey(priv, false).subarray(1);
  },
  isValidPublicKey(pub) {
    if (!(pub instanceof Uint8Array) || pub.length !== 64) return false;
    return secp256k1.utils.isValidPublicKey(concatBytes(SEC1_UNCOMPRESSED, pub), false);
  },
  compressPublicKey: (pub) => secp256k1.Point.fromBytes(toSec1(pub)).toBytes(true),
  decompressPublicKey(compressed) {
    assertBytes('compressedPublicKey', compressed, 33);
    try {
      return secp256k1.Point.fromBytes(compressed).toBytes(false).subarray(1);
    } catch (err) {
      throw new CryptoError('INVALID_PUBLIC_KEY', 'compressed public key is not on the curve', {
        cause: err,
      });
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
    assertBytes('hash', hash, 32);
    assertBytes('signature', sig, 65);
    const v = sig[64] as number;
    if (v > 1)
      throw new CryptoError('INVALID_SIGNATURE', `signature: recovery id ${v} is not 0 or 1`);
    try {
      const nobleSig = concatBytes(Uint8Array.of(v), sig.subarray(0, 64));
      return secp256k1.Signature.fromBytes(nobleSig, 'recovered')
        .recoverPublicKey(hash)
        .toBytes(false)
        .subarray(1);
    } catch (err) {
      throw new CryptoError('INVALID_SIGNATURE', 'signature does not recover a public key', {
        cause: err,
      });
    }
  },
  verify(hash, sig, pub) {
    assertBytes('hash', hash, 32);
    assertBytes('signature', sig, 64);
    assertBytes('publicKey', pub, 64);
    try {
      return secp256k1.verify(sig, hash, concatBytes(SEC1_UNCOMPRESSED, pub), {
        prehash: false,
        lowS: false,
      });
    } catch {
      return false;
    }
  },
  ecdhX(priv, pub) {
    checkPrivateKey(priv);
    return secp256k1.getSharedSecret(priv, toSec1(pub), true).subarray(1);
  },
  keccak256: (data) => keccak_256(data),
  createKeccak256: () => keccakState(),
};
