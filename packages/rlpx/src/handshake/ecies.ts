/**
 * ECIES as RLPx uses it: secp256k1 ECDH (bare x), the NIST SP 800-56 concat KDF over SHA-256,
 * AES-128-CTR and HMAC-SHA256 over IV ‖ ciphertext ‖ shared MAC data.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#ecies-encryption
 * @module
 */
import {
  CryptoError,
  concatBytes,
  constantTimeEqual,
  createAesCtr,
  ecdhX,
  generatePrivateKey,
  hmacSha256,
  isValidPublicKey,
  publicKey,
  randomBytes,
  sha256,
} from '@ethp2p/crypto';
import { RlpxError } from '../errors.ts';

/** Bytes ECIES adds to a plaintext: R (65, uncompressed) + IV (16) + HMAC-SHA256 tag (32). */
export const ECIES_OVERHEAD = 113;

const PUB_LENGTH = 65; // 0x04 ‖ X ‖ Y
const IV_LENGTH = 16; // AES block
const TAG_LENGTH = 32; // HMAC-SHA256
const EMPTY = new Uint8Array(0);

/** Options of {@link eciesEncrypt}; both default to fresh randomness and exist for test vectors. */
export interface EciesEncryptOptions {
  /** The sender's one-time private key R (default: a fresh random key). */
  readonly ephemeralKey?: Uint8Array;
  /** The 16-byte AES-CTR IV (default: 16 random bytes). */
  readonly iv?: Uint8Array;
}

/**
 * The NIST SP 800-56 concatenation KDF over SHA-256: `sha256(counter_be32 ‖ z ‖ s1)` for
 * counter = 1, 2, …, concatenated and cut to `length` bytes.
 * @throws {RangeError} if `length` is not a non-negative integer
 */
export function concatKdf(z: Uint8Array, s1: Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`length: expected a non-negative integer, got ${length}`);
  }
  const out = new Uint8Array(Math.ceil(length / 32) * 32);
  const counter = new Uint8Array(4);
  const view = new DataView(counter.buffer);
  for (let i = 0; i * 32 < length; i++) {
    view.setUint32(0, i + 1);
    out.set(sha256(concatBytes(counter, z, s1)), i * 32);
  }
  return out.subarray(0, length);
}

/** Encryption key Ke and MAC key Km from the ECDH x-coordinate: K = KDF(z, 32). */
function deriveKeys(z: Uint8Array): { ke: Uint8Array; km: Uint8Array } {
  const k = concatKdf(z, EMPTY, 32);
  return { ke: k.subarray(0, 16), km: sha256(k.subarray(16, 32)) };
}

/**
 * ECDH x-coordinate that reports an unusable key as `BAD_KEY`. Internal to the package.
 * @throws {RlpxError} `BAD_KEY`
 */
export function sharedX(priv: Uint8Array, pub: Uint8Array): Uint8Array {
  try {
    return ecdhX(priv, pub);
  } catch (err) {
    if (err instanceof CryptoError)
      throw new RlpxError('BAD_KEY', 'invalid public key', { cause: err });
    throw err;
  }
}

/**
 * Encrypts `plaintext` to the 64-byte public key `remotePublicKey`. The output is
 * `0x04 ‖ R(64) ‖ IV(16) ‖ c ‖ tag(32)`, {@link ECIES_OVERHEAD} bytes longer than the plaintext;
 * `sharedMacData` (RLPx: the EIP-8 size prefix, or empty) is covered by the tag but not sent.
 * @throws {RlpxError} `BAD_KEY` if `remotePublicKey` is not a point on the curve
 * @example
 * const packet = eciesEncrypt(remotePub, message, new Uint8Array(0));
 */
export function eciesEncrypt(
  remotePublicKey: Uint8Array,
  plaintext: Uint8Array,
  sharedMacData: Uint8Array,
  options: EciesEncryptOptions = {},
): Uint8Array {
  const ephemeral = options.ephemeralKey ?? generatePrivateKey();
  const iv = options.iv ?? randomBytes(IV_LENGTH);
  if (iv.length !== IV_LENGTH) throw new RangeError(`iv: expected 16 bytes, got ${iv.length}`);
  const { ke, km } = deriveKeys(sharedX(ephemeral, remotePublicKey));
  const out = new Uint8Array(plaintext.length + ECIES_OVERHEAD);
  out[0] = 0x04;
  out.set(publicKey(ephemeral), 1);
  out.set(iv, PUB_LENGTH);
  const c = createAesCtr(ke, iv).update(plaintext);
  out.set(c, PUB_LENGTH + IV_LENGTH);
  out.set(hmacSha256(km, iv, c, sharedMacData), PUB_LENGTH + IV_LENGTH + c.length);
  return out;
}

/**
 * Decrypts an ECIES message made by {@link eciesEncrypt} for `privateKey`. The tag is checked in
 * constant time before anything is decrypted.
 * @throws {RlpxError} `ECIES_TOO_SHORT` below 113 bytes, `BAD_KEY` for an ephemeral key that is
 * not an uncompressed point on the curve, `BAD_MAC` when the tag does not match
 */
export function eciesDecrypt(
  privateKey: Uint8Array,
  ciphertext: Uint8Array,
  sharedMacData: Uint8Array,
): Uint8Array {
  if (ciphertext.length < ECIES_OVERHEAD) {
    throw new RlpxError(
      'ECIES_TOO_SHORT',
      `ecies message too short: ${ciphertext.length} < ${ECIES_OVERHEAD} bytes`,
    );
  }
  const ephemeralPub = ciphertext.subarray(1, PUB_LENGTH);
  if (ciphertext[0] !== 0x04 || !isValidPublicKey(ephemeralPub)) {
    throw new RlpxError('BAD_KEY', 'invalid ecies ephemeral public key');
  }
  const { ke, km } = deriveKeys(sharedX(privateKey, ephemeralPub));
  const iv = ciphertext.subarray(PUB_LENGTH, PUB_LENGTH + IV_LENGTH);
  const end = ciphertext.length - TAG_LENGTH;
  const c = ciphertext.subarray(PUB_LENGTH + IV_LENGTH, end);
  const tag = hmacSha256(km, iv, c, sharedMacData);
  if (!constantTimeEqual(tag, ciphertext.subarray(end))) {
    throw new RlpxError('BAD_MAC', 'ecies message authentication failed');
  }
  return createAesCtr(ke, iv).update(c);
}
