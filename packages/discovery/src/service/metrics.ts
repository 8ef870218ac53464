/**
 * Packet counters of the discv4 service (geth `p2p/discover/metrics.go` and the `Unhandled`
 * accounting in `v4_udp.go`).
 * @module
 */
import type { SignatureStats } from '../pool/types.ts';
import type { PacketName } from '../wire/index.ts';

/** Why an inbound datagram was dropped without effect. */
export type DropReason =
  /** Undecodable: too small or large, bad hash, bad signature, malformed RLP, bad record. */
  | 'bad-packet'
  /** A type byte that is not one of the six discv4 packets. */
  | 'unknown-type'
  /** Its expiration lies in the past. */
  | 'expired'
  /** A Pong, Neighbors or ENRResponse no pending request was waiting for. */
  | 'unsolicited'
  /** A FindNode or ENRRequest from a node without a valid endpoint proof. */
  | 'unbonded'
  /** Sent by ourselves (our own key). */
  | 'self'
  /** From a source we cannot answer: UDP port 0, or not a plain IP (a scoped IPv6 address). */
  | 'bad-source'
  /** From a banned IP (checked before decoding) or a banned node ID (after recovery). */
  | 'banned'
  /** Shed by admission control: the signature pool was saturated and the packet worth the least. */
  | 'overloaded';

/** Per-packet-type counts. */
export type PacketCounts = Record<PacketName, number>;

/** A snapshot of the service's counters. */
export interface DiscoveryMetrics {
  /** Decoded packets received, by type (dropped ones included). */
  readonly packetsIn: Readonly<PacketCounts>;
  /** Packets sent, by type. */
  readonly packetsOut: Readonly<PacketCounts>;
  /** Inbound datagrams dropped, by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Requests (ping, findnode, ENR request) that got no complete reply in time. */
  readonly timeouts: number;
  /** Neighbors entries discarded for an unusable endpoint, a bad key or being ourselves. */
  readonly neighborsRejected: number;
  /** Datagrams whose handling threw unexpectedly (a bug or a socket failure); never rethrown. */
  readonly handlerErrors: number;
  /**
   * Ping-backs not sent: one to the same (ID, IP) was still pending, or `maxPingBacks` were
   * (the pinger still got its Pong).
   */
  readonly pingBacksSkipped: number;
  /**
   * Datagrams that were not discv4 packets (too small, or a hash mismatch) handed to the
   * `unhandled` handler (discv5 on a shared socket) instead of being dropped.
   */
  readonly unhandled: number;
  /** The signature work: worker threads, queued and in-flight work, work shed by class. */
  readonly signatures: SignatureStats;
}

function packetCounts(): PacketCounts {
  return { ping: 0, pong: 0, findnode: 0, neighbors: 0, 'enr-request': 0, 'enr-response': 0 };
}

/** The counters of {@link DiscoveryMetrics} that are single numbers. */
export type CountedEvent =
  | 'timeouts'
  | 'neighborsRejected'
  | 'handlerErrors'
  | 'pingBacksSkipped'
  | 'unhandled';

/**
 * The live counters of one service: the only place they change. The receive path, the client
 * and the send path report through its `count...` methods; the service hands out snapshots.
 */
export class MetricsCounters {
  readonly #packetsIn: PacketCounts = packetCounts();
  readonly #packetsOut: PacketCounts = packetCounts();
  readonly #dropped: Record<DropReason, number> = {
    'bad-packet': 0,
    'unknown-type': 0,
    expired: 0,
    unsolicited: 0,
    unbonded: 0,
    self: 0,
    'bad-source': 0,
    banned: 0,
    overloaded: 0,
  };
  readonly #events: Record<CountedEvent, number> = {
    timeouts: 0,
    neighborsRejected: 0,
    handlerErrors: 0,
    pingBacksSkipped: 0,
    unhandled: 0,
  };

  /** A decoded packet of `type` arrived. */
  countIn(type: PacketName): void {
    this.#packetsIn[type]++;
  }

  /** A packet of `type` was sent. */
  countOut(type: PacketName): void {
    this.#packetsOut[type]++;
  }

  /** An inbound datagram was dropped for `reason`. */
  countDropped(reason: DropReason): void {
    this.#dropped[reason]++;
  }

  /**
   * One more of `event`: a request timed out, a Neighbors entry was discarded, handling a
   * datagram threw, a ping-back was skipped, a datagram went to the `unhandled` handler.
   */
  count(event: CountedEvent): void {
    this.#events[event]++;
  }

  /** A copy that later counting does not change (without the signature stats, which are not counted here). */
  snapshot(): Omit<DiscoveryMetrics, 'signatures'> {
    return {
      packetsIn: { ...this.#packetsIn },
      packetsOut: { ...this.#packetsOut },
      dropped: { ...this.#dropped },
      ...this.#events,
    };
  }
}
