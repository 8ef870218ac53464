/**
 * Batch sizes and bounds of the syncer (geth `eth/downloader/downloader.go`).
 * @module
 */
import { MAX_BAN_DURATION_MS } from '@ethp2p/server';

/** Headers asked for in one request (geth `MaxHeaderFetch`). */
export const MAX_HEADER_FETCH = 192;

/** Bodies asked for in one request (geth `MaxBlockFetch`). */
export const MAX_BODY_FETCH = 128;

/**
 * Blocks fetched (headers, bodies) and not yet imported, at most: header requests wait while the
 * queue is full, which bounds the syncer's memory whatever its peers announce.
 */
export const MAX_QUEUED_BLOCKS = 2048;

/** Blocks handed to `importBlocks` in one call, at most. */
export const MAX_IMPORT_BATCH = 256;

/** How long one sync request may take before it moves to another peer (geth's default TTL). */
export const SYNC_REQUEST_TIMEOUT_MS = 5_000;

/**
 * How long a peer that stalled a round (a timeout, an empty answer) is left out as a sync target
 * while its head stays the same; then it is tried again, so a peer that stalled once (or while
 * we were busy importing) is not given up for the session.
 */
export const SYNC_STALL_RETRY_MS = 10_000;

/**
 * How long the node bans a peer that served bad chain data: the longest ban the reputation
 * takes (10 years), so it holds for the session whatever its length (and, the ban list being
 * persisted, after a restart too; `ethp2p_unban` lifts it). geth only drops such a peer.
 */
export const BAD_CHAIN_BAN_MS: number = MAX_BAN_DURATION_MS;

/**
 * How far below our head the common ancestor with a peer on another branch is searched for
 * (geth `FullMaxForkAncestry`, the immutability threshold): a peer whose branch leaves ours
 * deeper does not connect.
 */
export const MAX_FORK_ANCESTRY = 90_000n;
