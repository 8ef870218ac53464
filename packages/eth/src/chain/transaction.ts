/**
 * What the eth protocol needs to know about a transaction it relays: its hash, type and size,
 * read from the transaction as it travels in Transactions and PooledTransactions (an RLP list
 * for a legacy transaction, an RLP byte string wrapping `type || payload` for a typed one).
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#transactions-0x02
 * @module
 */
import { keccak256 } from '@ethp2p/crypto';
import { malformed, readRoot } from '../messages/rlp.ts';

/** A relayed transaction's identity, as announced in NewPooledTransactionHashes (eth/68). */
export interface TransactionInfo {
  /** keccak256 of the consensus encoding (the list, or `type || payload`). */
  readonly hash: Uint8Array;
  /** The EIP-2718 type; 0 for a legacy transaction. */
  readonly type: number;
  /** The length of the consensus encoding in bytes. */
  readonly size: number;
}

/**
 * The hash, type and size of a transaction in its network form (one RLP item).
 * @throws {EthError} MALFORMED unless `tx` is one RLP list, or one byte string holding a type
 *   byte below 0x80 and an RLP list
 */
export function transactionInfo(tx: Uint8Array): TransactionInfo {
  const item = readRoot(tx, 'transaction');
  if (item.list) return { hash: keccak256(tx), type: 0, size: tx.length };
  const envelope = item.payload;
  const type = envelope[0];
  if (type === undefined || type >= 0x80) throw malformed('transaction: invalid type');
  if (!readRoot(envelope.subarray(1), 'transaction payload').list) {
    throw malformed('transaction: payload is not a list');
  }
  return { hash: keccak256(envelope), type, size: envelope.length };
}
