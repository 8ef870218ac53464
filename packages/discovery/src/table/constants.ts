/**
 * Kademlia table constants of Node Discovery v4, with go-ethereum's values
 * (`p2p/discover/table.go`, `table_reval.go`, `common.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#kademlia-table
 * @module
 */

/** Entries per bucket: Kademlia k (geth `bucketSize`). */
export const BUCKET_SIZE = 16;

/** Replacement candidates kept per bucket, newest first (geth `maxReplacements`). */
export const MAX_REPLACEMENTS = 10;

/** Bits in a node ID (geth `hashBits`). */
export const HASH_BITS = 256;

/** Number of buckets: 256 / 15 = 17 (geth `nBuckets`). */
export const N_BUCKETS = 17;

/**
 * Log distances up to this value share bucket 0; distance `d` above it goes to bucket
 * `d - BUCKET_MIN_DISTANCE - 1` (geth `bucketMinDistance` = 256 - 17).
 */
export const BUCKET_MIN_DISTANCE: number = HASH_BITS - N_BUCKETS;

/** Prefix length, in bits, of the subnet the per-bucket IP limit counts (geth `bucketSubnet`). */
export const BUCKET_SUBNET_BITS = 24;

/** Addresses from one subnet allowed per bucket, LAN exempt (geth `bucketIPLimit`). */
export const BUCKET_IP_LIMIT = 2;

/** Prefix length, in bits, of the subnet the table-wide IP limit counts (geth `tableSubnet`). */
export const TABLE_SUBNET_BITS = 24;

/** Addresses from one subnet allowed in the whole table, LAN exempt (geth `tableIPLimit`). */
export const TABLE_IP_LIMIT = 10;

/**
 * Consecutive failed findnode queries after which a node may be dropped from the table, and above
 * which the client bonds again before asking it (geth `maxFindnodeFailures`, used for both).
 */
export const MAX_FINDNODE_FAILURES = 5;

/** Interval of the fast revalidation list (geth `Config.PingInterval` default, 3 s). */
export const PING_INTERVAL_MS = 3_000;

/** The slow revalidation list runs this many times slower than the fast one (geth `slowRevalidationFactor`). */
export const SLOW_REVALIDATION_FACTOR = 3;

/** Liveness checks above which a validated node is written to the node database as a future seed. */
export const SEED_MIN_LIVENESS_CHECKS = 5;
