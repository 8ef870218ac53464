/**
 * @ethp2p/crypto: secp256k1, keccak, AES and HMAC for ethp2p behind one small interface.
 *
 * The functions use the active backend, chosen once at import: `ETHP2P_CRYPTO=native|wasm|noble`
 * forces one, otherwise the fastest that loads is used. The backends themselves are in
 * `@ethp2p/crypto/backends`.
 * @module
 */
export {
  compressPublicKey,
  createKeccak256,
  decompressPublicKey,
  ecdhCompressed,
  ecdhX,
  generatePrivateKey,
  isValidPrivateKey,
  isValidPublicKey,
  keccak256,
  publicKey,
  randomBytes,
  recover,
  signRecoverable,
  verify,
} from './active.ts';
export { isLowS } from './backends/shared.ts';
export {
  assertBytes,
  bytesToHex,
  concatBytes,
  constantTimeEqual,
  equalBytes,
  hexToBytes,
} from './bytes.ts';
export type { CryptoErrorCode } from './errors.ts';
export { CryptoError } from './errors.ts';
export type { Aes256Block, AesCtr } from './symmetric.ts';
export {
  AES_GCM_TAG_BYTES,
  aes128GcmOpen,
  aes128GcmSeal,
  createAes256Block,
  createAesCtr,
  hkdfSha256,
  hmacSha256,
  sha256,
} from './symmetric.ts';
export type { KeccakState } from './types.ts';
