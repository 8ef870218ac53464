/**
 * Reputation constants. The scale and the weights are Reth's (`reth-network-types`
 * `peers/reputation.rs`, `peers/config.rs`): a score starts at 0, penalties are multiples of a
 * 1024 unit, and a score below −50 units is banned.
 * @see https://github.com/paradigmxyz/reth/blob/main/crates/net/network-types/src/peers/reputation.rs
 * @module
 */

/** The score of a node or IP we know nothing against (Reth `DEFAULT_REPUTATION`). */
export const DEFAULT_REPUTATION = 0;

/** The unit penalties are measured in (Reth `REPUTATION_UNIT`, whose sign is negative). */
export const REPUTATION_UNIT = 1024;

/** A score below this bans the node ID or IP (Reth `BANNED_REPUTATION`: −50 units). */
export const BANNED_REPUTATION: number = -50 * REPUTATION_UNIT;

/**
 * Dynamic candidates scoring below this are not dialed (Reth `is_connection_failed_reputation`:
 * below one failed connection, −25 units).
 */
export const DIAL_MIN_REPUTATION: number = -25 * REPUTATION_UNIT;

/** The best score a node can earn with useful responses (8 units). */
export const MAX_REPUTATION: number = 8 * REPUTATION_UNIT;

/**
 * The largest single penalty a trusted or static peer takes (Reth
 * `MAX_TRUSTED_PEER_REPUTATION_CHANGE`: 2 units).
 */
export const MAX_PRIVILEGED_PENALTY: number = 2 * REPUTATION_UNIT;

/**
 * The lowest score of a trusted or static peer: half the ban threshold, so it is never banned
 * by its score (only an explicit ban stops it).
 */
export const PRIVILEGED_FLOOR: number = BANNED_REPUTATION / 2;

/**
 * How fast a score returns toward 0, in points per second of the injected clock (Reth adds 1
 * per second to a connected peer below 0; here every tracked score moves, both ways). A bad
 * message (16 units) is forgiven in about 4.5 hours.
 */
export const REPUTATION_RECOVERY_PER_SECOND = 1;

/** How long a ban lasts unless told otherwise (Reth `ban_duration`: 12 hours). */
export const DEFAULT_BAN_DURATION_MS: number = 12 * 60 * 60 * 1000;

/** The longest ban accepted: 10 years, standing in for "permanent". */
export const MAX_BAN_DURATION_MS: number = 10 * 365 * 24 * 60 * 60 * 1000;

/** Most scores tracked per kind (node IDs, IPs); the least recently changed is forgotten. */
export const MAX_TRACKED_SCORES = 10_000;

/** Most bans held per kind (node IDs, IPs); past it, the ban ending soonest is dropped. */
export const MAX_BANS = 10_000;
