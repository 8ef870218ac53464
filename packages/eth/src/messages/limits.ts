/**
 * How many elements the eth decoders read from a list a peer sent, by message. A list past its
 * limit is refused at the first element beyond it (EthError `TOO_MANY_ITEMS`), so a message of
 * millions of one-byte items costs no more than the limit; a request list is cut to what will be
 * served instead, and the elements past the cut are never read.
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handler.go
 * @module
 */
import {
  CELL_BYTES,
  MAX_ACCESS_LISTS_SERVE,
  MAX_BODIES_SERVE,
  MAX_HEADERS_SERVE,
  MAX_MESSAGE_SIZE_BYTES,
  MAX_RECEIPTS_SERVE,
} from '../serve/limits.ts';

/** Transactions in one Transactions message (geth `maxTransactionAnnouncements`). */
export const MAX_TXS_PER_MESSAGE = 5_000;

/**
 * Entries in one NewPooledTransactionHashes (geth's tx fetcher keeps at most `maxTxAnnounces`
 * per peer; a 100 KiB announcement of geth's holds fewer).
 */
export const MAX_TX_ANNOUNCEMENTS = 4_096;

/**
 * Hashes of a GetPooledTransactions that are read; the rest of the request is not looked at.
 * The request geth and the other clients send holds at most 256 (`maxTxRetrievals`).
 */
export const MAX_POOLED_TXS_SERVE = 4_096;

/** Transactions in one PooledTransactions response (no more than a request can ask for). */
export const MAX_POOLED_TXS_PER_MESSAGE: number = MAX_POOLED_TXS_SERVE;

/** Headers in one BlockHeaders response, and hashes of a GetBlockHeaders served (geth `maxHeadersServe`). */
export const MAX_HEADERS_PER_MESSAGE: number = MAX_HEADERS_SERVE;

/** Bodies in one BlockBodies, and hashes of a GetBlockBodies that are read (geth `maxBodiesServe`). */
export const MAX_BODIES_PER_MESSAGE: number = MAX_BODIES_SERVE;

/** Receipt lists in one Receipts, and hashes of a GetReceipts that are read (geth `maxReceiptsServe`). */
export const MAX_RECEIPT_LISTS_PER_MESSAGE: number = MAX_RECEIPTS_SERVE;

/**
 * Receipts in one Receipts message, all lists together: a 2 MiB response (geth's
 * `softResponseLimit`) of the smallest eth/69 receipts (about 9 bytes each) holds fewer.
 */
export const MAX_RECEIPTS_PER_MESSAGE = 262_144;

/** Topics of one log: the EVM's LOG0 to LOG4 write at most four. */
export const MAX_LOG_TOPICS = 4;

/** Entries of one NewBlockHashes (eth/68; a node announces a few new blocks at a time). */
export const MAX_BLOCK_ANNOUNCEMENTS = 1_024;

/**
 * eth/71: access lists in one BlockAccessLists, and hashes of a GetBlockAccessLists that are
 * read (geth `maxBALsServe`).
 */
export const MAX_ACCESS_LISTS_PER_MESSAGE: number = MAX_ACCESS_LISTS_SERVE;

/**
 * eth/72: hashes of a GetCells that are read (the rest is not looked at), and transactions in
 * one Cells response. The spec recommends requests of at most 64 hashes.
 */
export const MAX_CELL_TXS_PER_MESSAGE = 4_096;

/** eth/72: cells in one Cells response, all transactions together: what 10 MiB can hold. */
export const MAX_CELLS_PER_MESSAGE: number = Math.floor(MAX_MESSAGE_SIZE_BYTES / CELL_BYTES);
