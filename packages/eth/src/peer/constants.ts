/**
 * The limits of one eth peer, from go-ethereum (`eth/protocols/eth/peer.go`, `broadcast.go`,
 * `handshake.go`, `handler.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */

/** How long the Status exchange may take before the peer is dropped with ReadTimeout (geth `handshakeTimeout`). */
export const STATUS_TIMEOUT_MS = 5_000;

/** Transaction hashes remembered per peer as known to it (geth `maxKnownTxs`). */
export const MAX_KNOWN_TXS = 32_768;

/** Block hashes remembered per peer as known to it (geth `maxKnownBlocks`, eth/68 era). */
export const MAX_KNOWN_BLOCKS = 1_024;

/** Transactions queued for a full broadcast to one peer; older ones are dropped (geth `maxQueuedTxs`). */
export const MAX_QUEUED_TXS = 4_096;

/** Transaction hashes queued for announcement to one peer (geth `maxQueuedTxAnns`). */
export const MAX_QUEUED_TX_ANNS = 4_096;

/** NewBlock messages queued for one peer (geth `maxQueuedBlocks`, eth/68 only). */
export const MAX_QUEUED_BLOCKS = 4;

/** NewBlockHashes entries queued for one peer (geth `maxQueuedBlockAnns`, eth/68 only). */
export const MAX_QUEUED_BLOCK_ANNS = 4;

/** Target size of one Transactions or NewPooledTransactionHashes pack (geth `maxTxPacketSize`). */
export const MAX_TX_PACKET_SIZE_BYTES: number = 100 * 1024;

/** Transactions larger than this are only announced, never broadcast (geth `txMaxBroadcastSize`). */
export const TX_MAX_BROADCAST_SIZE_BYTES = 4_096;

/** The EIP-4844 blob transaction type: only ever announced, never broadcast. */
export const BLOB_TX_TYPE = 0x03;

/** Transactions one Transactions message may carry (geth's handler refuses more). */
export { MAX_TXS_PER_MESSAGE } from '../messages/limits.ts';

/** Hashes asked for in one GetPooledTransactions (geth tx fetcher `maxTxRetrievals`). */
export const MAX_TX_RETRIEVALS = 256;

/** Target size of a PooledTransactions response (geth `softResponseLimit`). */
export const POOLED_TXS_RESPONSE_LIMIT_BYTES: number = 2 * 1024 * 1024;

/** The largest total difficulty (in bits) an eth/68 Status may carry (geth, eth/68 era). */
export const MAX_TD_BITS = 100;

/** How long a request waits for its response by default. */
export const REQUEST_TIMEOUT_MS = 5_000;

/** Requests one peer may have in flight at once; more are refused (bounded memory). */
export const MAX_PENDING_REQUESTS = 256;

/**
 * Ids of timed-out or cancelled requests remembered per peer, so a late response is dropped
 * quietly instead of being taken for an unsolicited one.
 */
export const MAX_EXPIRED_REQUESTS = 1_024;

/** Responses one peer may have waiting to be written before its read loop waits for them. */
export const MAX_PENDING_RESPONSES = 16;

/**
 * eth/70: the most requests one receipts request makes for the rest of an incomplete list
 * before it fails with `INCOMPLETE` (a response may hold up to 10 MiB of receipts; a block's
 * receipts hold at most its gas limit / 8 bytes).
 */
export const MAX_RECEIPT_CONTINUATIONS = 16;
