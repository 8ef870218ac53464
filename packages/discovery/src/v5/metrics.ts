/**
 * Counters of the discv5 service (the rpc counts packets, sessions and drops itself; the
 * service's snapshot carries the rpc's under `rpc`).
 * @module
 */
import type { DiscV5RpcMetrics } from './rpc/metrics.ts';

/** The counters {@link DiscoveryV5} itself keeps. */
export interface V5ServiceCounts {
  /** FINDNODE requests answered from the table. */
  readonly findNodeRequests: number;
  /** Table nodes sent in those answers. */
  readonly nodesServed: number;
  /** TALKREQ requests received. */
  readonly talkRequests: number;
  /** TALKREQ requests for a protocol nobody registered (answered with an empty TALKRESP). */
  readonly talkUnknownProtocol: number;
  /** TALKREQ handlers that threw or rejected (answered with an empty TALKRESP). */
  readonly talkHandlerErrors: number;
  /** Nodes that completed a handshake with us, offered to the table. */
  readonly nodesSeen: number;
  /** Revalidations that fetched a newer record after a PONG announced a higher seq. */
  readonly recordsRefetched: number;
}

/** A snapshot of {@link DiscoveryV5}'s counters, with its rpc's (packets, drops, handshakes, sessions). */
export interface DiscoveryV5Metrics extends V5ServiceCounts {
  /** The transport's counters at the same moment. */
  readonly rpc: DiscV5RpcMetrics;
}

/** One of the counters of {@link V5ServiceCounts}. */
export type V5CountedEvent = keyof V5ServiceCounts;

/** The live counters of one service: the only place they change. */
export class V5MetricsCounters {
  readonly #counts: Record<V5CountedEvent, number> = {
    findNodeRequests: 0,
    nodesServed: 0,
    talkRequests: 0,
    talkUnknownProtocol: 0,
    talkHandlerErrors: 0,
    nodesSeen: 0,
    recordsRefetched: 0,
  };

  /** Adds `n` (default 1) to `event`. */
  count(event: V5CountedEvent, n = 1): void {
    this.#counts[event] += n;
  }

  /** A copy that later counting does not change. */
  snapshot(): V5ServiceCounts {
    return { ...this.#counts };
  }
}
