/**
 * @ethp2p/crypto: secp256k1, keccak, AES and HMAC for ethp2p behind one small interface.
 * @module
 */
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
export type { BackendName, CryptoBackend, KeccakState } from './types.ts';
export { BACKEND_NAMES } from './types.ts';
