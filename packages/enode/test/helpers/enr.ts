/** Helpers for ENR tests: typed-error assertions and hand-built (possibly invalid) records. */

import { RLP } from '@ethereumjs/rlp';
import { encodeList } from '@ethp2p/base/rlp';
import { thrownError } from '@ethp2p/base/testing';
import { hexToBytes, publicKey } from '@ethp2p/crypto';
import type { EnrPair } from '../../src/enr/codec.ts';
import { encodeEnrParts } from '../../src/enr/codec.ts';
import { signV4, v4IdentityPairs } from '../../src/enr/v4-scheme.ts';
import { EnrError } from '../../src/errors.ts';
import { KEY_B } from '../vectors/enr-vectors.ts';

/** Asserts that `fn` throws an EnrError with `code`. */
export function expectEnrError(fn: () => unknown, code: string): void {
  thrownError(fn, EnrError, code);
}

export const PRIV_B: Uint8Array = hexToBytes(KEY_B.priv);

/** The `id` = "v4" and `secp256k1` pairs of keyB. */
export const IDENTITY_B: [EnrPair, EnrPair] = v4IdentityPairs(publicKey(PRIV_B));

/** A pair whose value is the RLP of `value`. */
export function pair(key: string, value: Uint8Array | string | number | bigint): EnrPair {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return [key, RLP.encode(bytes)];
}

/**
 * A record with exactly these pairs, in this order, correctly signed by keyB over them
 * (so only the property under test is wrong).
 */
export function signedRecord(pairs: readonly EnrPair[], seq = 1n): Uint8Array {
  return encodeEnrParts({ signature: signV4(seq, pairs, PRIV_B), seq, pairs });
}

/** A record from raw already-encoded list items. */
export function rawList(items: readonly Uint8Array[]): Uint8Array {
  return encodeList(items);
}
