/**
 * The "v4" identity scheme (EIP-778): a secp256k1 key in the `secp256k1` entry (33 bytes,
 * compressed), a 64-byte r‖s signature over keccak256 of the RLP `[seq, k1, v1, ...]`, and the
 * node ID keccak256(X‖Y) of the uncompressed key. It is the only scheme accepted.
 * @see https://github.com/ethereum/devp2p/blob/master/enr.md
 * @module
 */
import { encodeBytes } from '@ethp2p/base/rlp';
import {
  compressPublicKey,
  decompressPublicKey,
  equalBytes,
  isLowS,
  keccak256,
  signRecoverable,
  verify,
} from '@ethp2p/crypto';
import { EnrError } from '../errors.ts';
import type { EnrPair, EnrParts } from './codec.ts';
import { decodeRlpValue, encodeContent } from './codec.ts';

/** Name of the only supported identity scheme, the value of the `id` entry. */
export const V4_SCHEME = 'v4';

/** Length of a "v4" signature: r‖s without the recovery byte. */
export const V4_SIGNATURE_BYTES = 64;

/** The raw RLP of `id = "v4"`. */
export const V4_ID_RLP: Uint8Array = Uint8Array.of(0x82, 0x76, 0x34);

/** The raw RLP value stored under `key`, if present. */
export function findPair(pairs: readonly EnrPair[], key: string): Uint8Array | undefined {
  for (const [k, raw] of pairs) if (k === key) return raw;
  return undefined;
}

/**
 * The 64-byte public key of a record's `secp256k1` entry.
 * @throws {EnrError} INVALID_ENTRY when it is missing or not a valid compressed key
 */
export function secp256k1Key(pairs: readonly EnrPair[]): Uint8Array {
  const raw = findPair(pairs, 'secp256k1');
  if (raw === undefined) throw new EnrError('INVALID_ENTRY', 'missing secp256k1 entry');
  const value = decodeRlpValue(raw);
  if (!(value instanceof Uint8Array) || value.length !== 33) {
    throw new EnrError('INVALID_ENTRY', 'secp256k1 entry is not a 33-byte compressed key');
  }
  try {
    return decompressPublicKey(value);
  } catch (err) {
    throw new EnrError('INVALID_ENTRY', 'secp256k1 entry is not a point on the curve', {
      cause: err,
    });
  }
}

/**
 * Verifies a decoded record under the "v4" scheme and returns its 64-byte public key. Like geth,
 * a signature whose s is above n/2 is rejected, so each record has exactly one valid encoding.
 * @throws {EnrError} UNKNOWN_SCHEME, INVALID_ENTRY or INVALID_SIGNATURE
 */
export function verifyV4(parts: EnrParts): Uint8Array {
  const id = findPair(parts.pairs, 'id');
  if (id === undefined || !equalBytes(id, V4_ID_RLP)) {
    throw new EnrError('UNKNOWN_SCHEME', 'record identity scheme is not "v4"');
  }
  const pub = secp256k1Key(parts.pairs);
  if (parts.signature.length !== V4_SIGNATURE_BYTES) {
    throw new EnrError('INVALID_SIGNATURE', 'invalid signature length');
  }
  // geth verifies with crypto.VerifySignature, which rejects the malleable high-s twin.
  if (!isLowS(parts.signature)) throw new EnrError('INVALID_SIGNATURE', 'signature has a high s');
  const hash = keccak256(encodeContent(parts.seq, parts.pairs));
  let ok: boolean;
  try {
    ok = verify(hash, parts.signature, pub);
  } catch (err) {
    throw new EnrError('INVALID_SIGNATURE', 'invalid signature', { cause: err });
  }
  if (!ok) throw new EnrError('INVALID_SIGNATURE', 'invalid signature');
  return pub;
}

/** The 64-byte "v4" signature of `[seq, pairs...]` by `privateKey`. */
export function signV4(seq: bigint, pairs: readonly EnrPair[], privateKey: Uint8Array): Uint8Array {
  const hash = keccak256(encodeContent(seq, pairs));
  return signRecoverable(hash, privateKey).slice(0, V4_SIGNATURE_BYTES);
}

/** The `secp256k1` pair for a 64-byte public key: the RLP of its 33-byte compressed form. */
export function secp256k1Pair(pub64: Uint8Array): EnrPair {
  return ['secp256k1', encodeBytes(compressPublicKey(pub64))];
}

/** The `id` and `secp256k1` pairs for a 64-byte public key. */
export function v4IdentityPairs(pub64: Uint8Array): [EnrPair, EnrPair] {
  return [['id', V4_ID_RLP], secp256k1Pair(pub64)];
}
