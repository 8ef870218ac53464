/**
 * The crypto backend seam: every secp256k1 and keccak operation ethp2p needs, with one contract
 * for all implementations.
 *
 * Byte layouts follow devp2p, not any one library: public keys are 64 bytes (X‖Y, no 0x04
 * prefix), recoverable signatures are 65 bytes r‖s‖v with v ∈ {0, 1} and low s, and ECDH returns
 * the bare 32-byte x-coordinate of the shared point (no hashing).
 * @module
 */

/** Names of the available backends, fastest first. */
export const BACKEND_NAMES = ['native', 'wasm', 'noble'] as const;
/** A backend name: `native` (N-API addons), `wasm` or `noble` (pure JS, the reference). */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * An incremental keccak-256 state. `digest()` does not consume it: the state can be updated and
 * digested again, which the RLPx frame MACs rely on.
 */
export interface KeccakState {
  /** Absorbs `data` and returns the same state. */
  update(data: Uint8Array): KeccakState;
  /** Returns keccak256 of everything absorbed so far, leaving the state usable. */
  digest(): Uint8Array;
}

/** secp256k1 and keccak as one backend. Every method is synchronous and stateless. */
export interface CryptoBackend {
  readonly name: BackendName;
  /** A random valid 32-byte private key. */
  generatePrivateKey(): Uint8Array;
  /** Whether `priv` is 32 bytes and in [1, n-1]. */
  isValidPrivateKey(priv: Uint8Array): boolean;
  /** The 64-byte public key (X‖Y). @throws {CryptoError} INVALID_PRIVATE_KEY */
  publicKey(priv: Uint8Array): Uint8Array;
  /** Whether `pub` is a 64-byte X‖Y point on the curve. */
  isValidPublicKey(pub: Uint8Array): boolean;
  /** 33-byte compressed form of a 64-byte public key. @throws {CryptoError} INVALID_PUBLIC_KEY */
  compressPublicKey(pub: Uint8Array): Uint8Array;
  /** 64-byte X‖Y form of a 33-byte compressed key. @throws {CryptoError} INVALID_PUBLIC_KEY */
  decompressPublicKey(compressed: Uint8Array): Uint8Array;
  /** 65-byte r‖s‖v signature of a 32-byte hash (no further hashing), low s, v ∈ {0, 1}. */
  signRecoverable(hash: Uint8Array, priv: Uint8Array): Uint8Array;
  /** The 64-byte public key that made `sig` (65 bytes r‖s‖v). @throws {CryptoError} INVALID_SIGNATURE */
  recover(hash: Uint8Array, sig: Uint8Array): Uint8Array;
  /** Verifies a 64-byte r‖s signature of a 32-byte hash against a 64-byte public key. */
  verify(hash: Uint8Array, sig: Uint8Array, pub: Uint8Array): boolean;
  /** The 32-byte x-coordinate of priv·pub. @throws {CryptoError} INVALID_PUBLIC_KEY or INVALID_PRIVATE_KEY */
  ecdhX(priv: Uint8Array, pub: Uint8Array): Uint8Array;
  /**
   * The 33-byte compressed form of priv·pub (parity byte 0x02/0x03, then x), the secret discv5
   * feeds its key derivation. @throws {CryptoError} INVALID_PUBLIC_KEY or INVALID_PRIVATE_KEY
   */
  ecdhCompressed(priv: Uint8Array, pub: Uint8Array): Uint8Array;
  /** keccak256 of `data` in one call. */
  keccak256(data: Uint8Array): Uint8Array;
  /** A fresh incremental keccak-256 state. */
  createKeccak256(): KeccakState;
}
