/**
 * Plain types of the eth peer API.
 * @module
 */
import type { ReceiptBounds } from './partial-receipts.ts';

/** The blocks a peer serves (eth/69 Status and BlockRangeUpdate). */
export interface BlockRange {
  readonly earliest: bigint;
  readonly latest: bigint;
  readonly latestHash: Uint8Array;
}

/** The head an eth/68 peer announced: in its Status, then in NewBlock and NewBlockHashes. */
export interface PeerHead {
  readonly hash: Uint8Array;
  /** The total difficulty (from Status or NewBlock). */
  readonly td: bigint;
  /** The block number, once an announcement told it (Status does not). */
  readonly number?: bigint;
}

/** Options of every request. */
export interface RequestOptions {
  /** Cancels the request: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** How long to wait for the response (default: the peer's request timeout). */
  readonly timeoutMs?: number;
}

/** Options of a header request. */
export interface HeadersRequestOptions extends RequestOptions {
  /** Blocks left out between two headers (default 0). */
  readonly skip?: number | bigint;
  /** Towards the genesis block (default false). */
  readonly reverse?: boolean;
}

/** Options of a receipts request. */
export interface ReceiptsRequestOptions extends RequestOptions {
  /**
   * eth/70 and later: the receipt bounds of each requested block, in request order (see
   * `receiptBounds`). An incomplete list of a block with bounds is checked against them
   * (EIP-7975) and a list past them ends the peer. A block without them here is checked against
   * its bounds in the peer's local chain when it holds the block; otherwise only the number of
   * continuation requests bounds it.
   */
  readonly bounds?: readonly (ReceiptBounds | undefined)[];
}
