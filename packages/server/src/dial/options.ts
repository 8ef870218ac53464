/**
 * The dial scheduler's options checked, with the defaults filled in.
 * @module
 */
import {
  type Clock,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
  systemRandom,
} from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { nodeIdToHex } from '@ethp2p/enode';
import type { NetRestrict } from '../netrestrict.ts';
import type { NodeSource } from '../node-source.ts';
import {
  DEFAULT_DIAL_TIMEOUT_MS,
  DIAL_HISTORY_EXPIRATION_MS,
  LOOKUP_INTERVAL_MS,
  MAX_ACTIVE_DIALS,
} from './constants.ts';
import type { DialFunction, DialReputation, DialSchedulerOptions } from './types.ts';

const NO_REPUTATION: DialReputation = { isBanned: () => false, score: () => 0 };

/** {@link DialSchedulerOptions} checked, every default filled in. */
export interface DialConfig {
  readonly selfKey: string;
  readonly maxDialedPeers: number;
  /** ⌊maxDialedPeers / 2⌋: the dynamic slots random nodes may fill. */
  readonly randomSlots: number;
  readonly maxActiveDials: number;
  readonly dialTimeoutMs: number;
  readonly historyExpirationMs: number;
  readonly lookupIntervalMs: number;
  readonly netRestrict: NetRestrict | undefined;
  readonly source: NodeSource | undefined;
  readonly staticNodes: readonly Node[];
  readonly reputation: DialReputation;
  readonly dial: DialFunction;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/**
 * Checks `options` and fills in the defaults.
 * @throws {TypeError} without a dial function; {RangeError} on a bad node ID or count
 */
export function resolveDialConfig(options: DialSchedulerOptions): DialConfig {
  if (typeof options?.dial !== 'function') throw new TypeError('dial: expected a function');
  const maxDialedPeers = count('maxDialedPeers', options.maxDialedPeers, 0);
  return {
    selfKey: nodeIdToHex(options.self),
    maxDialedPeers,
    randomSlots: Math.floor(maxDialedPeers / 2),
    maxActiveDials: count('maxActiveDials', options.maxActiveDials ?? MAX_ACTIVE_DIALS, 1),
    dialTimeoutMs: count('dialTimeoutMs', options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS, 1),
    historyExpirationMs: count(
      'historyExpirationMs',
      options.historyExpirationMs ?? DIAL_HISTORY_EXPIRATION_MS,
      1,
    ),
    lookupIntervalMs: count('lookupIntervalMs', options.lookupIntervalMs ?? LOOKUP_INTERVAL_MS, 0),
    netRestrict: options.netRestrict,
    source: options.source,
    staticNodes: options.staticNodes ?? [],
    reputation: options.reputation ?? NO_REPUTATION,
    dial: options.dial,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    logger: options.logger ?? silentLogger,
  };
}

function count(field: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${field}: expected an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}
