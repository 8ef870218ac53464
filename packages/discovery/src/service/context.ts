/**
 * What every part of the service shares: read-only dependencies (keys, socket, clock, config)
 * and references to the owners of the service's state (reply matcher, table, counters, bond
 * cache, ping-back limiter, task group), plus the one send path. Built once by
 * {@link DiscoveryV4}. The context itself holds no mutable state: every change goes through a
 * method of the object that owns it.
 * @module
 */
import type { Clock, Logger, Random, TaskGroup } from '@ethp2p/base';
import type { LocalNode } from '@ethp2p/enode';
import type { BanCheck } from '../ban-check.ts';
import type { LookupStats } from '../lookup/stats.ts';
import type { SealOutcome, SignatureRunner, WorkClass } from '../pool/types.ts';
import type { Table } from '../table/table.ts';
import type { DatagramAddress, DatagramHandler, DatagramSocket } from '../transport/datagram.ts';
import type { DriftMonitor } from '../transport/drift-monitor.ts';
import type { ReplyMatcher } from '../transport/reply-matcher.ts';
import { encodeUnsigned, type OpenOptions } from '../wire/envelope.ts';
import type { DecodedPacket, EncodedPacket, PacketInput } from '../wire/index.ts';
import type { BondCache } from './bond-cache.ts';
import type { DiscoveryConfig } from './config.ts';
import type { MetricsCounters } from './metrics.ts';
import type { DiscoveryNodeStore } from './node-store.ts';
import type { PingBackLimiter } from './ping-backs.ts';
import type { SimulationMemo } from './simulation-memo.ts';

/** The dependencies and state owners of one running service; every field is read-only. */
export interface ServiceContext {
  readonly privateKey: Uint8Array;
  readonly localNode: LocalNode;
  readonly db: DiscoveryNodeStore;
  readonly socket: DatagramSocket;
  /** Where datagrams that are not discv4 packets go (the `unhandled` option); else dropped. */
  readonly unhandled: DatagramHandler | undefined;
  /** The one owner of pending replies; replies are dispatched to it decoded. */
  readonly matcher: ReplyMatcher<DecodedPacket>;
  readonly table: Table;
  /** Counts packets that arrive already expired; warns when our clock looks off. */
  readonly drift: DriftMonitor;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly config: DiscoveryConfig;
  /** Whether discovery may use an IP (the `allowIp` option). */
  readonly allowIp: (ip: string) => boolean;
  /** The ban list (the `bans` option). */
  readonly bans: BanCheck;
  /** The owner of the packet counters. */
  readonly metrics: MetricsCounters;
  /** Aborted when the service stops. */
  readonly signal: AbortSignal;
  /**
   * The unbonded pingers we are pinging back, until that ping settles: one ping-back per pinger
   * at a time, at most `config.maxPingBacks`.
   */
  readonly pingBacks: PingBackLimiter;
  /** Recent bonds, written when a Pong matches; checked before the node database. */
  readonly bonds: BondCache;
  /** Background work that `stop()` waits for. */
  readonly tasks: TaskGroup;
  /** Where signatures are made and senders recovered: inline or on worker threads. */
  readonly signatures: SignatureRunner;
  /**
   * With the simulated identity, what this node shares with the other simulated nodes of the
   * process (node IDs, records, neighbour nodes); `undefined` for a real node.
   */
  readonly simulated: SimulationMemo | undefined;
  /** How received datagrams are opened: the real checks, or the simulated identity's. */
  readonly openOptions: OpenOptions;
  /** Publishes the statistics of every finished lookup (the `lookup:done` event). */
  readonly lookupDone: (stats: LookupStats) => void;
}

/**
 * Encodes, signs and sends one packet; it is counted when it leaves. The signing runs inline or
 * on a worker (then the send happens later, after packets submitted earlier to the same endpoint);
 * a packet the pool sheds under overload, or that is sealed after the service stopped, is not sent.
 */
export function sendPacket(
  ctx: ServiceContext,
  packet: PacketInput,
  to: DatagramAddress,
  workClass: WorkClass,
): void {
  new PendingSeal(ctx, packet, to, workClass).send();
}

/**
 * A packet being signed, sent by `send()` as soon as it is sealed (at once if it already is).
 * Sealing may start before we know whether to send it: the Pong to a Ping whose sender is still
 * being recovered goes to the pool together with that recovery, so a worker signs the Pong in the
 * same trip instead of a second one after the Ping is handled. One never sent costs only its
 * signature.
 */
export class PendingSeal {
  readonly #ctx: ServiceContext;
  readonly #type: PacketInput['type'];
  readonly #to: DatagramAddress;
  #sealed: SealOutcome | undefined;
  #wanted = false;

  constructor(ctx: ServiceContext, packet: PacketInput, to: DatagramAddress, workClass: WorkClass) {
    this.#ctx = ctx;
    this.#type = packet.type;
    this.#to = to;
    ctx.signatures.seal(encodeUnsigned(packet), { key: endpointKey(to), workClass }, (sealed) => {
      this.#sealed = sealed;
      if (this.#wanted) this.#deliver(sealed);
    });
  }

  /** Sends the packet once it is sealed; nothing if the pool shed it or the service stopped. */
  send(): void {
    this.#wanted = true;
    if (this.#sealed !== undefined) this.#deliver(this.#sealed);
  }

  #deliver(sealed: SealOutcome): void {
    if (!sealed.ok || this.#ctx.signal.aborted) return;
    this.#ctx.socket.send(sealed.bytes, this.#to);
    this.#ctx.metrics.countOut(this.#type);
  }
}

/**
 * Encodes and signs one packet for a request that must know its hash before sending. Returns
 * the result at once when the signing ran inline, else a promise of it.
 * @throws {SignaturePoolError} (or the promise rejects with it) when the work was shed, its
 *   worker died or the pool closed
 */
export function sealForRequest(
  ctx: ServiceContext,
  packet: PacketInput,
  to: DatagramAddress,
  workClass: WorkClass,
): EncodedPacket | Promise<EncodedPacket> {
  let result: EncodedPacket | Error | undefined;
  let settle: ((r: EncodedPacket | Error) => void) | undefined;
  ctx.signatures.seal(encodeUnsigned(packet), { key: endpointKey(to), workClass }, (sealed) => {
    const r = sealed.ok ? { bytes: sealed.bytes, hash: sealed.hash } : sealed.error;
    if (settle === undefined) result = r;
    else settle(r);
  });
  if (result instanceof Error) throw result;
  if (result !== undefined) return result;
  return new Promise<EncodedPacket>((resolve, reject) => {
    settle = (r) => (r instanceof Error ? reject(r) : resolve(r));
  });
}

/**
 * The key that keeps what we send to one remote endpoint in order (a Pong before the ping-back
 * it triggers).
 */
export function endpointKey(address: DatagramAddress): string {
  return `out|${address.address}|${address.port}`;
}

/**
 * The key that keeps what one remote endpoint sent us, of one work class, in order. Across
 * classes the more valuable goes first: a Pong we wait for overtakes the Pings queued before it
 * (which is also the order bonding needs: the Pong's bond before a later FindNode).
 */
export function inboundKey(address: DatagramAddress, workClass: WorkClass): string {
  return `in|${workClass}|${address.address}|${address.port}`;
}

/** `signal` combined with the service's own, so stopping ends every wait. */
export function withServiceSignal(
  ctx: Pick<ServiceContext, 'signal'>,
  signal?: AbortSignal,
): AbortSignal {
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
