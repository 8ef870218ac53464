/**
 * The constants of EIP-1459 and of go-ethereum's `p2p/dnsdisc`.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */

/** Prefix of the root entry (EIP-1459 "enrtree-root:v1"). */
export const ROOT_PREFIX = 'enrtree-root:v1';
/** Prefix of a branch entry. */
export const BRANCH_PREFIX = 'enrtree-branch:';
/** Prefix of a link entry and of a tree URL. */
export const LINK_PREFIX = 'enrtree://';
/** Prefix of a node record entry (EIP-778 text form). */
export const ENR_PREFIX = 'enr:';

/** Bytes of keccak256 kept in a subdomain hash (EIP-1459: "abbreviated" to 16 bytes). */
export const HASH_ABBREV_BYTES = 16;
/** Fewest bytes a child hash may decode to (geth `minHashLength`). */
export const MIN_HASH_BYTES = 12;
/** Most bytes a child hash may decode to: a whole keccak256. */
export const MAX_HASH_BYTES = 32;
/**
 * Children per branch when building a tree: 370 bytes of hashes and commas, to keep a reply
 * under 512 bytes of UDP (geth `maxChildren`, 13).
 */
export const MAX_BUILD_CHILDREN: number = Math.floor(370 / (1 + Math.floor((16 * 13) / 8)));

/**
 * Longest TXT entry accepted, in characters. A record is at most 300 bytes (404 as `enr:`
 * text); a branch of 64 full-length hashes fits. Anything longer is refused before parsing.
 */
export const MAX_ENTRY_CHARS = 4096;
/** Most children of one branch accepted from the network. */
export const MAX_BRANCH_CHILDREN = 128;

/** Time of one DNS lookup before it fails (geth `defaultTimeout`, 5 s). */
export const DEFAULT_TIMEOUT_MS = 5_000;
/** Time between checks of a tree's root (geth `defaultRecheck`, 30 min). */
export const DEFAULT_RECHECK_INTERVAL_MS: number = 30 * 60_000;
/** Entries kept in the cache (geth `defaultCache`). */
export const DEFAULT_CACHE_LIMIT = 1000;
/** DNS queries per second (geth `defaultRateLimit`). */
export const DEFAULT_RATE_LIMIT = 3;
/** Queries that may go at once before the rate applies (geth's limiter burst, 10). */
export const RATE_LIMIT_BURST = 10;
/** Entries one tree sync may hold (nodes, links and branches): bounds the memory of a sync. */
export const DEFAULT_MAX_TREE_ENTRIES = 100_000;
/** Trees one iterator follows, counting linked ones: bounds what links can make it hold. */
export const DEFAULT_MAX_TREES = 64;
/** Failed leaf lookups in a row after which the root is checked again (geth `rootRecheckFailCount`). */
export const ROOT_RECHECK_FAIL_COUNT = 5;
