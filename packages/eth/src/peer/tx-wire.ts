/**
 * Transactions between their two forms: the canonical encoding a pool keeps (a legacy RLP list,
 * or `tx-type ‖ tx-data` for a typed one, EIP-2718) and the list element the eth messages carry
 * (a typed transaction wrapped in an RLP byte string).
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @module
 */

import { encodeBytes, readRoot } from '@ethp2p/base/rlp';
import { keccak256 } from '@ethp2p/crypto';
import { decoding } from '../decoding.ts';

/**
 * The canonical encoding of a transaction as a message carried it. The codecs have checked its
 * shape, so this only unwraps a typed transaction's byte string.
 * @throws {EthError} MALFORMED if `element` is not one RLP item
 */
export function txFromWire(element: Uint8Array): Uint8Array {
  if ((element[0] ?? 0) >= 0xc0) return element;
  return decoding(() => readRoot(element, 'transaction')).payload;
}

/** The message list element of a canonical transaction. */
export function txToWire(tx: Uint8Array): Uint8Array {
  return (tx[0] ?? 0) >= 0xc0 ? tx : encodeBytes(tx);
}

/** The transaction type: 0 for legacy, the EIP-2718 type byte otherwise. */
export function txType(tx: Uint8Array): number {
  const first = tx[0] ?? 0;
  return first >= 0xc0 ? 0 : first;
}

/** The hash of a canonical transaction. */
export function txHash(tx: Uint8Array): Uint8Array {
  return keccak256(tx);
}
