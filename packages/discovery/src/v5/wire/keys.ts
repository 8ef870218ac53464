/**
 * The handshake's cryptography for the "v4" identity scheme: session key derivation (HKDF-SHA256
 * over the compressed ECDH secret, salted with the challenge-data) and the id-signature.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-theory.md#handshake-steps
 * @module
 */
import {
  assertBytes,
  concatBytes,
  ecdhCompressed,
  hkdfSha256,
  isLowS,
  sha256,
  signRecoverable,
  verify,
} from '@ethp2p/crypto';
import { IDENTITY_PROOF_TEXT, KEY_AGREEMENT_INFO, SESSION_KEY_BYTES } from './constants.ts';

/** The two AES-128 keys of a session, named by the side that writes with them. */
export interface SessionKeys {
  /** The key the handshake initiator (node A) encrypts with. */
  readonly initiatorKey: Uint8Array;
  /** The key the recipient (node B) encrypts with. */
  readonly recipientKey: Uint8Array;
}

/**
 * The session keys from the 33-byte ECDH secret: HKDF-Extract(challengeData, secret), expanded
 * with "discovery v5 key agreement" ‖ id-A ‖ id-B to 32 bytes.
 */
export function deriveSessionKeys(
  secret: Uint8Array,
  initiatorId: Uint8Array,
  recipientId: Uint8Array,
  challengeData: Uint8Array,
): SessionKeys {
  assertBytes('initiatorId', initiatorId, 32);
  assertBytes('recipientId', recipientId, 32);
  const info = concatBytes(KEY_AGREEMENT_INFO, initiatorId, recipientId);
  const keyData = hkdfSha256(secret, challengeData, info, 2 * SESSION_KEY_BYTES);
  return {
    initiatorKey: keyData.slice(0, SESSION_KEY_BYTES),
    recipientKey: keyData.slice(SESSION_KEY_BYTES),
  };
}

/**
 * The session keys on either side: the initiator passes its ephemeral private key and the
 * recipient's static public key, the recipient its static private key and the (decompressed)
 * ephemeral public key. @throws {CryptoError} for a key that is not on the curve
 */
export function sessionKeys(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  initiatorId: Uint8Array,
  recipientId: Uint8Array,
  challengeData: Uint8Array,
): SessionKeys {
  const secret = ecdhCompressed(privateKey, publicKey);
  return deriveSessionKeys(secret, initiatorId, recipientId, challengeData);
}

/** sha256("discovery v5 identity proof" ‖ challenge-data ‖ ephemeral-pubkey ‖ node-id-B). */
export function idSignatureHash(
  challengeData: Uint8Array,
  ephemeralKey: Uint8Array,
  recipientId: Uint8Array,
): Uint8Array {
  return sha256(concatBytes(IDENTITY_PROOF_TEXT, challengeData, ephemeralKey, recipientId));
}

/** The 64-byte r‖s id-signature by the initiator's static key. */
export function signIdNonce(
  privateKey: Uint8Array,
  challengeData: Uint8Array,
  ephemeralKey: Uint8Array,
  recipientId: Uint8Array,
): Uint8Array {
  const hash = idSignatureHash(challengeData, ephemeralKey, recipientId);
  return signRecoverable(hash, privateKey).subarray(0, 64);
}

/**
 * Whether `signature` is a valid low-s id-signature by the 64-byte `publicKey` (geth
 * `VerifySignature` rejects malleable high-s signatures). Never throws for bad input.
 */
export function verifyIdSignature(
  publicKey: Uint8Array,
  signature: Uint8Array,
  challengeData: Uint8Array,
  ephemeralKey: Uint8Array,
  recipientId: Uint8Array,
): boolean {
  if (signature.length !== 64 || !isLowS(signature)) return false;
  const hash = idSignatureHash(challengeData, ephemeralKey, recipientId);
  return verify(hash, signature, publicKey);
}
