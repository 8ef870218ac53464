/**
 * Transactions between their two forms: the canonical encoding a pool keeps (a legacy RLP list,
 * or `tx-type ‖ tx-data` for a typed one, EIP-2718) and the list element the eth messages carry
 * (a typed transaction wrapped in an RLP byte string).
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @module
 */

import { encodeBytes, readRoot } from '@ethp2p/base/rlp';
import { bytesToHex } from '@ethp2p/crypto';
import { decoding } from '../decoding.ts';
import {
  blobTransactionViolation,
  hasBlobSidecar,
  readBlobTransaction,
  transactionHash,
  withoutBlobs,
} from '../messages/blob-transactions.ts';
import { BLOB_TX_TYPE } from './constants.ts';

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

/**
 * The hash of a canonical transaction (a blob transaction with its sidecar hashes without it).
 */
export function txHash(tx: Uint8Array): Uint8Array {
  return transactionHash(tx);
}

/**
 * What breaks the rules in a PooledTransactions response on `version`, or `undefined`: a
 * transaction twice, or a blob transaction that is not what that version carries (see
 * `blobTransactionViolation`; go-ethereum `handleTransactions`).
 */
export function pooledTransactionsViolation(
  txs: readonly Uint8Array[],
  version: number,
): string | undefined {
  const seen = new Set<string>();
  for (const tx of txs) {
    if (txType(tx) === BLOB_TX_TYPE) {
      const violation = blobTransactionViolation(tx, version);
      if (violation !== undefined) return `pooled transactions: ${violation}`;
    }
    const key = bytesToHex(txHash(tx));
    if (seen.has(key)) return 'pooled transactions: a transaction twice';
    seen.add(key);
  }
  return undefined;
}

/**
 * A pooled transaction as `version` carries it in PooledTransactions (canonical form), or
 * `undefined` when that version cannot carry what the pool has: from eth/72 on a blob
 * transaction goes without its blobs (EIP-8070); before, it needs all of them, so one the pool
 * holds without them is not served. Its length is the size NewPooledTransactionHashes announces.
 */
export function txForVersion(tx: Uint8Array, version: number): Uint8Array | undefined {
  if (!hasBlobSidecar(tx)) return tx;
  try {
    if (version >= 72) return withoutBlobs(tx);
    const b = readBlobTransaction(tx);
    return b.blobs.length === b.versionedHashes.length ? tx : undefined;
  } catch {
    return undefined;
  }
}
