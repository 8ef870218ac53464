/**
 * What every part of the service shares: keys, socket, reply matcher, table, clock and counters,
 * plus the one send path. Built once by {@link DiscoveryV4}; the parts never own any of it.
 * @module
 */
import type { Clock, Logger, Random } from '@ethp2p/base';
import type { LocalNode, NodeDatabase } from '@ethp2p/enode';
import type { Table } from '../table/table.ts';
import type { DatagramAddress, DatagramSocket } from '../transport/datagram.ts';
import type { ReplyMatcher } from '../transport/reply-matcher.ts';
import type { DecodedPacket, PacketInput } from '../wire/index.ts';
import { encodePacket } from '../wire/index.ts';
import type { BondCache } from './bond-cache.ts';
import type { DiscoveryConfig } from './config.ts';
import type { MetricsCounters } from './metrics.ts';

/** The shared state of one running service. */
export interface ServiceContext {
  readonly privateKey: Uint8Array;
  readonly localNode: LocalNode;
  readonly db: NodeDatabase;
  readonly socket: DatagramSocket;
  /** The one owner of pending replies; replies are dispatched to it decoded. */
  readonly matcher: ReplyMatcher<DecodedPacket>;
  readonly table: Table;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly config: DiscoveryConfig;
  readonly metrics: MetricsCounters;
  /** Aborted when the service stops. */
  readonly signal: AbortSignal;
  /**
   * `id|ip` of the unbonded pingers we are pinging back, until that ping settles: one ping-back
   * per pinger at a time, at most `config.maxPingBacks`.
   */
  readonly pingBacks: Set<string>;
  /** Recent bonds, written when a Pong matches; checked before the node database. */
  readonly bonds: BondCache;
  /** Registers background work that `stop()` must wait for. */
  track(task: Promise<unknown>): void;
}

/** Signs and sends one packet; returns its hash (the reply token a Pong or ENRResponse echoes). */
export function sendPacket(
  ctx: ServiceContext,
  packet: PacketInput,
  to: DatagramAddress,
): Uint8Array {
  const { bytes, hash } = encodePacket(packet, ctx.privateKey);
  ctx.socket.send(bytes, to);
  ctx.metrics.packetsOut[packet.type]++;
  return hash;
}

/** `signal` combined with the service's own, so stopping ends every wait. */
export function withServiceSignal(ctx: ServiceContext, signal?: AbortSignal): AbortSignal {
  return signal === undefined ? ctx.signal : AbortSignal.any([signal, ctx.signal]);
}

/**
 * Reply-matcher options for a request: only the caller's own signal. Stopping the service needs
 * no listener per request, because `stop()` closes the matcher, which rejects every pending
 * request with `CLOSED`; thousands of listeners on the service's signal (one per ping-back under
 * load) would make each removal linear.
 */
export function requestOptions(signal?: AbortSignal): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

/**
 * Whether `lastMs` (a stored last-ping or last-pong time; 0 when none) lies within the bond
 * lifetime, as both sides of the endpoint proof judge it.
 */
export function isBondFresh(ctx: ServiceContext, lastMs: number): boolean {
  return lastMs > 0 && ctx.clock.now() - lastMs <= ctx.config.bondExpirationMs;
}
