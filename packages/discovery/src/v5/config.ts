/**
 * Tunable settings of {@link DiscoveryV5}: the table and refresh settings it shares with discv4,
 * with go-ethereum's defaults. Request timeouts belong to the rpc.
 * @module
 */
import type { DiscoveryConfig } from '../service/config.ts';
import { resolveConfig } from '../service/config.ts';

/** Tunable settings of `DiscoveryV5`; the fields and defaults are discv4's (`DiscoveryConfig`). */
export type DiscoveryV5Config = Pick<
  DiscoveryConfig,
  'refreshIntervalMs' | 'pingIntervalMs' | 'seedCount' | 'seedMaxAgeMs' | 'findnodeLivenessCheck'
>;

/**
 * The defaults overridden by `partial`, checked as discv4 checks them.
 * @throws {RangeError} on a bad duration or count
 */
export function resolveV5Config(partial: Partial<DiscoveryV5Config> = {}): DiscoveryV5Config {
  const c = resolveConfig(partial);
  return Object.freeze({
    refreshIntervalMs: c.refreshIntervalMs,
    pingIntervalMs: c.pingIntervalMs,
    seedCount: c.seedCount,
    seedMaxAgeMs: c.seedMaxAgeMs,
    findnodeLivenessCheck: c.findnodeLivenessCheck,
  });
}
