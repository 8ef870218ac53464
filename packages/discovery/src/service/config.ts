/**
 * Settings of the discv4 service, with go-ethereum's defaults (`p2p/discover/v4_udp.go`,
 * `table.go`, `common.go`). Tests shorten the timeouts; production code rarely needs to.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';
import { ALPHA } from '../lookup/lookup.ts';
import { BUCKET_SIZE, PING_INTERVAL_MS } from '../table/constants.ts';
import { MAX_PENDING_REPLIES, RESPONSE_TIMEOUT_MS } from '../transport/constants.ts';

/** How long an endpoint proof (bond) lasts (geth `bondExpiration`, 24 h; the spec says 12 h). */
export const BOND_EXPIRATION_MS: number = 24 * 60 * 60 * 1000;

/** Pause after bonding so the remote can process our pong (geth `ensureBond` sleeps `respTimeout`). */
export const BOND_WAIT_MS = 500;

/** Nodes returned for one FindNode: Kademlia k, the bucket size (geth `bucketSize`). */
export const FINDNODE_RESULT_SIZE: number = BUCKET_SIZE;

/** Refresh interval upper bound; each wait is random in [half, full) (geth `Config.RefreshInterval`). */
export const REFRESH_INTERVAL_MS: number = 30 * 60 * 1000;

/** Database seeds loaded per refresh (geth `seedCount`). */
export const SEED_COUNT = 30;

/** Oldest last pong for a database seed (geth `seedMaxAge`, 5 days). */
export const SEED_MAX_AGE_MS: number = 5 * 24 * 60 * 60 * 1000;

/** Random-target lookups per refresh, after the self lookup (geth `doRefresh`). */
export const REFRESH_RANDOM_LOOKUPS = 3;

/**
 * Ping-backs (our Pings to unbonded pingers) that may wait for their Pong at once: half of the
 * reply matcher's cap, so a Ping flood cannot starve our own requests (revalidation, lookups).
 * geth has no such cap; its matcher list is unbounded.
 */
export const MAX_PENDING_PING_BACKS: number = MAX_PENDING_REPLIES / 2;

/** Tunable settings of {@link DiscoveryV4}. Every field has a geth default. */
export interface DiscoveryConfig {
  /** Deadline of every request (ping, findnode, ENR request). Default 500 ms. */
  readonly responseTimeoutMs: number;
  /** Lifetime of an endpoint proof in both directions. Default 24 h. */
  readonly bondExpirationMs: number;
  /** Wait after bonding before a findnode or ENR request. Default 500 ms. */
  readonly bondWaitMs: number;
  /** Upper bound of the refresh interval; each wait is random in [half, full). Default 30 min. */
  readonly refreshIntervalMs: number;
  /** Fast revalidation list interval (the slow list is 3× slower). Default 3 s. */
  readonly pingIntervalMs: number;
  /** Seeds loaded from the node database per refresh. Default 30. */
  readonly seedCount: number;
  /** Oldest last pong of a database seed. Default 5 days. */
  readonly seedMaxAgeMs: number;
  /**
   * Answer FindNode with validated-live table nodes only, when there are any
   * (geth, unless `NoFindnodeLivenessCheck`). Default true.
   */
  readonly findnodeLivenessCheck: boolean;
  /**
   * Ping-backs waiting for their Pong at once, at most half the reply matcher's cap (4096);
   * pingers beyond it get their Pong but no ping-back. Default 2048.
   */
  readonly maxPingBacks: number;
  /** Queries in flight at once per lookup (Kademlia α), 1 to 16. Default 3 (geth `alpha`). */
  readonly lookupAlpha: number;
  /**
   * Random-target lookups per refresh, after the self lookup, 0 to 16. Default 3 (geth
   * `doRefresh`). With `refreshIntervalMs` this sets how hard a node works to fill its table.
   */
  readonly refreshRandomLookups: number;
}

/** The defaults: go-ethereum's values. */
export const DEFAULT_DISCOVERY_CONFIG: DiscoveryConfig = Object.freeze({
  responseTimeoutMs: RESPONSE_TIMEOUT_MS,
  bondExpirationMs: BOND_EXPIRATION_MS,
  bondWaitMs: BOND_WAIT_MS,
  refreshIntervalMs: REFRESH_INTERVAL_MS,
  pingIntervalMs: PING_INTERVAL_MS,
  seedCount: SEED_COUNT,
  seedMaxAgeMs: SEED_MAX_AGE_MS,
  findnodeLivenessCheck: true,
  maxPingBacks: MAX_PENDING_PING_BACKS,
  lookupAlpha: ALPHA,
  refreshRandomLookups: REFRESH_RANDOM_LOOKUPS,
});

/** The largest `lookupAlpha` and `refreshRandomLookups`: more would only flood the network. */
export const MAX_LOOKUP_FANOUT = 16;

/**
 * The defaults overridden by `partial`.
 * @throws {RangeError} on a negative or non-finite duration or count, a `maxPingBacks` that
 *   is not in 1 to half the reply matcher's cap, a `lookupAlpha` not in 1-16 or a
 *   `refreshRandomLookups` not in 0-16
 */
export function resolveConfig(partial: Partial<DiscoveryConfig> = {}): DiscoveryConfig {
  const config = { ...DEFAULT_DISCOVERY_CONFIG, ...partial };
  const positive = ['responseTimeoutMs', 'refreshIntervalMs', 'pingIntervalMs'] as const;
  for (const key of positive) checkPositiveInt(`config.${key}`, config[key]);
  const nonNegative = ['bondExpirationMs', 'bondWaitMs', 'seedCount', 'seedMaxAgeMs'] as const;
  for (const key of nonNegative) {
    const v = config[key];
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`config.${key}: expected a non-negative integer, got ${v}`);
    }
  }
  checkIntIn('config.maxPingBacks', config.maxPingBacks, 1, MAX_PENDING_PING_BACKS);
  checkIntIn('config.lookupAlpha', config.lookupAlpha, 1, MAX_LOOKUP_FANOUT);
  checkIntIn('config.refreshRandomLookups', config.refreshRandomLookups, 0, MAX_LOOKUP_FANOUT);
  return Object.freeze(config);
}

function checkIntIn(field: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new RangeError(`${field}: expected an integer in ${min}-${max}, got ${v}`);
  }
}
