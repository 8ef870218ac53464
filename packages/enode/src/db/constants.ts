/**
 * Node database constants (go-ethereum `p2p/enode/nodedb.go`).
 * @module
 */

/**
 * Schema version stored (as a zig-zag varint) under the `version` key. When the stored value
 * differs, or is missing from a non-empty database, the whole database is flushed.
 *
 * go-ethereum uses its own `dbVersion` (9 today); ethp2p numbers its schema from 1000 so that the
 * two never collide: pointing ethp2p at a go-ethereum `nodes` directory flushes it instead of
 * misreading go-ethereum's record encoding as ours. Bump it on any change to the key layout or to
 * the stored record format (`Node.toStorage`).
 */
export const DB_VERSION = 1000;

/** Nodes whose last pong is older than this are removed by the expirer (geth `dbNodeExpiration`). */
export const NODE_EXPIRATION_MS: number = 24 * 60 * 60 * 1000;

/** How often the expirer runs (geth `dbCleanupCycle`). */
export const DB_CLEANUP_CYCLE_MS: number = 60 * 60 * 1000;

/** Each `querySeeds(n, …)` call makes at most this many random seeks per wanted node (geth). */
export const SEEDS_SEEKS_PER_NODE = 5;
