/**
 * What the eth protocol needs to know about a transaction it relays: its hash, type and size.
 * A transaction has two forms: its canonical (EIP-2718) encoding, a legacy transaction's RLP
 * list or `type || payload` for a typed one, which is what a pool keeps and what is hashed; and
 * its network form in Transactions and PooledTransactions, where a typed transaction is wrapped
 * in an RLP byte string.
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#transactions-0x02
 * @module
 */

import { readRoot } from '@ethp2p/base/rlp';
import { transactionHash } from '@ethp2p/eth/messages';
import { decoding, malformed } from './decoding.ts';

/** A relayed transaction's identity, as announced in NewPooledTransactionHashes (eth/68). */
export interface TransactionInfo {
  /** keccak256 of the canonical encoding (of a blob transaction's without its sidecar). */
  readonly hash: Uint8Array;
  /** The EIP-2718 type; 0 for a legacy transaction. */
  readonly type: number;
  /** The length of the canonical encoding in bytes. */
  readonly size: number;
}

/**
 * The hash, type and size of a transaction in its canonical encoding.
 * @throws {ChainError} MALFORMED_BLOCK unless `tx` is one RLP list, or a type byte below 0x80 followed
 *   by one RLP list
 */
export function canonicalTransactionInfo(tx: Uint8Array): TransactionInfo {
  return decoding(() => canonicalInfo(tx));
}

function canonicalInfo(tx: Uint8Array): TransactionInfo {
  const type = tx[0];
  if (type === undefined) throw malformed('transaction: empty');
  if (type >= 0x80 && type < 0xc0) throw malformed('transaction: neither a list nor typed');
  const body = type < 0x80 ? tx.subarray(1) : tx;
  if (!readRoot(body, 'transaction').list) throw malformed('transaction: payload is not a list');
  return { hash: transactionHash(tx), type: type < 0x80 ? type : 0, size: tx.length };
}

/**
 * The hash, type and size of a transaction in its network form (one RLP item: a list, or a
 * byte string holding the canonical encoding of a typed transaction).
 * @throws {ChainError} MALFORMED_BLOCK when it is neither
 */
export function transactionInfo(tx: Uint8Array): TransactionInfo {
  return decoding(() => {
    const item = readRoot(tx, 'transaction');
    if (item.list) return canonicalInfo(tx);
    const type = item.payload[0];
    if (type === undefined || type >= 0x80) throw malformed('transaction: invalid type');
    return canonicalInfo(item.payload);
  });
}
