/**
 * The process-wide active backend and the functions that delegate to it. Selection happens once,
 * at import, so every call after that is a plain synchronous function call.
 * @module
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { selectBackend } from './backend.ts';
import type { CryptoBackend, KeccakState } from './types.ts';

const active: CryptoBackend = await selectBackend(process.env.ETHP2P_CRYPTO);

/** The backend every function of this package uses, chosen at import. */
export function activeBackend(): CryptoBackend {
  return active;
}

/** `length` bytes from the operating system's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}

/** A random valid 32-byte secp256k1 private key. */
export function generatePrivateKey(): Uint8Array {
  return active.generatePrivateKey();
}

/** Whether `priv` is a usable 32-byte private key. */
export function isValidPrivateKey(priv: Uint8Array): boolean {
  return active.isValidPrivateKey(priv);
}

/** The 64-byte public key (X‖Y) of `priv`. @throws {CryptoError} INVALID_PRIVATE_KEY */
export function publicKey(priv: Uint8Array): Uint8Array {
  return active.publicKey(priv);
}

/** Whether `pub` is a 64-byte X‖Y point on the curve. */
export function isValidPublicKey(pub: Uint8Array): boolean {
  return active.isValidPublicKey(pub);
}

/** The 33-byte compressed form of a 64-byte public key. @throws {CryptoError} INVALID_PUBLIC_KEY */
export function compressPublicKey(pub: Uint8Array): Uint8Array {
  return active.compressPublicKey(pub);
}

/** The 64-byte form of a 33-byte compressed public key. @throws {CryptoError} INVALID_PUBLIC_KEY */
export function decompressPublicKey(compressed: Uint8Array): Uint8Array {
  return active.decompressPublicKey(compressed);
}

/** A 65-byte r‖s‖v signature (v ∈ {0, 1}, low s) of a 32-byte hash. */
export function signRecoverable(hash: Uint8Array, priv: Uint8Array): Uint8Array {
  return active.signRecoverable(hash, priv);
}

/** The 64-byte public key behind a 65-byte r‖s‖v signature. @throws {CryptoError} INVALID_SIGNATURE */
export function recover(hash: Uint8Array, sig: Uint8Array): Uint8Array {
  return active.recover(hash, sig);
}

/** Whether a 64-byte r‖s signature of `hash` was made by the 64-byte public key `pub`. */
export function verify(hash: Uint8Array, sig: Uint8Array, pub: Uint8Array): boolean {
  return active.verify(hash, sig, pub);
}

/** The 32-byte x-coordinate of the ECDH shared point, unhashed. */
export function ecdhX(priv: Uint8Array, pub: Uint8Array): Uint8Array {
  return active.ecdhX(priv, pub);
}

/** The 33-byte compressed ECDH shared point (parity byte, then x), as discv5 uses it. */
export function ecdhCompressed(priv: Uint8Array, pub: Uint8Array): Uint8Array {
  return active.ecdhCompressed(priv, pub);
}

/** keccak256 of `data`. */
export function keccak256(data: Uint8Array): Uint8Array {
  return active.keccak256(data);
}

/** A fresh keccak-256 state that can be updated and digested repeatedly. */
export function createKeccak256(): KeccakState {
  return active.createKeccak256();
}
