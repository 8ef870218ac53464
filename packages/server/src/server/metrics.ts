/**
 * The server's traffic and connection counters (geth `p2p/metrics.go`): peers in and out, bytes
 * on the wire, dials and serves with their error classes, handshake durations, and messages per
 * protocol, version and code. The server owns them; {@link Server.metrics} hands out snapshots.
 * @module
 */
import type { Protocol } from '../protocol.ts';

/**
 * Why a dial or an inbound connection did not become a peer, in geth's classes
 * (`p2p/dials/error/<class>`, `p2p/serves/error/<class>`), plus `timeout`.
 */
export const CONNECTION_ERROR = {
  /** The TCP connect failed (refused, unreachable). Dials only. */
  CONNECTION: 'connection',
  /** The dial timeout or a handshake timeout ran out (geth counts these as connection or rlpx/enc). */
  TIMEOUT: 'timeout',
  /** TooManyPeers, from us or from the remote. */
  SATURATED: 'saturated',
  /** AlreadyConnected. */
  KNOWN: 'known',
  /** Self: we reached ourselves. */
  SELF: 'self',
  /** UselessPeer: no protocol in common. */
  USELESS: 'useless',
  /** UnexpectedIdentity. */
  UNEXPECTED_IDENTITY: 'id/unexpected',
  /** The RLPx (ECIES) handshake failed. */
  RLPX_ENC: 'rlpx/enc',
  /** The Hello exchange failed. */
  RLPX_PROTO: 'rlpx/proto',
  /** Anything else (the server stopping, a local failure). */
  OTHER: 'other',
} as const;

/** One of {@link CONNECTION_ERROR}. */
export type ConnectionErrorClass = (typeof CONNECTION_ERROR)[keyof typeof CONNECTION_ERROR];

/** Dials (outbound) or serves (inbound): attempts, successes and failures by class. */
export interface ConnectionCounts {
  /** Dials started (TCP connect attempts), or inbound connections admitted by the listener. */
  readonly attempts: number;
  /** Connections that became peers. */
  readonly succeeded: number;
  /** Peers of these that stayed connected for at least a minute (geth `success/1min`). */
  readonly succeededOneMinute: number;
  /** Connections that did not become peers, by class. */
  readonly errors: Readonly<Record<ConnectionErrorClass, number>>;
}

/** A histogram with fixed upper bounds, as Prometheus keeps one. */
export interface DurationHistogram {
  /** Upper bounds in seconds, ascending (the `le` labels; `+Inf` is implied). */
  readonly boundsSeconds: readonly number[];
  /** Observations at or below each bound (cumulative), then the total for `+Inf`. */
  readonly cumulativeCounts: readonly number[];
  readonly count: number;
  readonly sumSeconds: number;
}

/** The traffic of one message code of one protocol version. */
export interface MessageTraffic {
  /** The code relative to the protocol. */
  readonly code: number;
  readonly ingressPackets: number;
  /** Wire bytes (frames as sent, compressed when snappy is on) of the received messages. */
  readonly ingressBytes: number;
  readonly egressPackets: number;
  readonly egressBytes: number;
}

/** The traffic of one registered protocol version; only codes that carried a message are listed. */
export interface ProtocolTraffic {
  readonly protocol: string;
  readonly version: number;
  readonly codes: readonly MessageTraffic[];
}

/** A snapshot of the server's counters; later counting does not change it. */
export interface ServerMetrics {
  /** Connected peers (geth `p2p/peers`, `p2p/peers/inbound`, `p2p/peers/outbound`). */
  readonly peers: { readonly total: number; readonly inbound: number; readonly outbound: number };
  /**
   * Bytes read from peer sockets, RLPx handshake included (geth `p2p/ingress`): connections
   * that ended plus the live ones. A connection still in its handshake counts once it ends or
   * becomes a peer; a dial that fails inside its RLPx handshake is not counted.
   */
  readonly ingressBytes: number;
  /** Bytes written to peer sockets (geth `p2p/egress`); see `ingressBytes`. */
  readonly egressBytes: number;
  /** Outbound connections (geth `p2p/dials...`). */
  readonly dials: ConnectionCounts;
  /** Inbound connections (geth `p2p/serves...`). */
  readonly serves: ConnectionCounts;
  /** Time from the TCP connection (accepted, or the dial started) until it became a peer. */
  readonly handshakeDuration: {
    readonly inbound: DurationHistogram;
    readonly outbound: DurationHistogram;
  };
  /** Subprotocol messages by registered protocol version and code (base protocol not counted). */
  readonly messages: readonly ProtocolTraffic[];
}

/** Upper bounds of the handshake duration buckets, in seconds (prom-client's defaults). */
export const HANDSHAKE_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** How long a peer must stay for `succeededOneMinute` (geth: one minute). */
export const ONE_MINUTE_MS = 60_000;

/**
 * The message counters of one protocol version, one slot per code: the peers of that protocol
 * increment them in place, so counting a message allocates nothing.
 */
export class MessageCounters {
  readonly protocol: Protocol;
  readonly #ingressPackets: Float64Array;
  readonly #ingressBytes: Float64Array;
  readonly #egressPackets: Float64Array;
  readonly #egressBytes: Float64Array;

  constructor(protocol: Protocol) {
    this.protocol = protocol;
    this.#ingressPackets = new Float64Array(protocol.length);
    this.#ingressBytes = new Float64Array(protocol.length);
    this.#egressPackets = new Float64Array(protocol.length);
    this.#egressBytes = new Float64Array(protocol.length);
  }

  /** A message of `code` (relative to the protocol) that took `wireBytes` arrived. */
  ingress(code: number, wireBytes: number): void {
    this.#ingressPackets[code] = (this.#ingressPackets[code] ?? 0) + 1;
    this.#ingressBytes[code] = (this.#ingressBytes[code] ?? 0) + wireBytes;
  }

  /** A message of `code` that took `wireBytes` was written. */
  egress(code: number, wireBytes: number): void {
    this.#egressPackets[code] = (this.#egressPackets[code] ?? 0) + 1;
    this.#egressBytes[code] = (this.#egressBytes[code] ?? 0) + wireBytes;
  }

  snapshot(): ProtocolTraffic {
    const codes: MessageTraffic[] = [];
    for (let code = 0; code < this.protocol.length; code++) {
      const ingressPackets = this.#ingressPackets[code] ?? 0;
      const egressPackets = this.#egressPackets[code] ?? 0;
      if (ingressPackets === 0 && egressPackets === 0) continue;
      codes.push({
        code,
        ingressPackets,
        ingressBytes: this.#ingressBytes[code] ?? 0,
        egressPackets,
        egressBytes: this.#egressBytes[code] ?? 0,
      });
    }
    return { protocol: this.protocol.name, version: this.protocol.version, codes };
  }
}

/** The live counts behind one {@link DurationHistogram}. */
class HistogramCounter {
  readonly #counts = new Array<number>(HANDSHAKE_BUCKETS_SECONDS.length + 1).fill(0);
  #sum = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < HANDSHAKE_BUCKETS_SECONDS.length && seconds > (HANDSHAKE_BUCKETS_SECONDS[i] ?? 0))
      i++;
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#sum += seconds;
  }

  snapshot(): DurationHistogram {
    let total = 0;
    const cumulativeCounts = this.#counts.map((n) => {
      total += n;
      return total;
    });
    return {
      boundsSeconds: HANDSHAKE_BUCKETS_SECONDS,
      cumulativeCounts,
      count: total,
      sumSeconds: this.#sum,
    };
  }
}

/** The live counts behind one {@link ConnectionCounts}. */
class ConnectionCounter {
  attempts = 0;
  succeeded = 0;
  /** Peers that ended after at least a minute. */
  endedAfterOneMinute = 0;
  readonly errors = Object.fromEntries(
    Object.values(CONNECTION_ERROR).map((c) => [c, 0]),
  ) as Record<ConnectionErrorClass, number>;
  readonly handshake = new HistogramCounter();

  snapshot(liveOneMinute: number): ConnectionCounts {
    return {
      attempts: this.attempts,
      succeeded: this.succeeded,
      succeededOneMinute: this.endedAfterOneMinute + liveOneMinute,
      errors: { ...this.errors },
    };
  }
}

/** A live connection as the counters see it. */
export interface LiveConnection {
  readonly inbound: boolean;
  /** Clock time it became a peer, in ms. */
  readonly addedAt: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

/**
 * The server's counters: the only place they change. The connection setup and the server
 * report through its methods; peers increment the {@link MessageCounters} of their protocols.
 * Bytes of live peers are read from their connections at snapshot time.
 */
export class ServerCounters {
  readonly #dials = new ConnectionCounter();
  readonly #serves = new ConnectionCounter();
  readonly #messages: Map<Protocol, MessageCounters>;
  #endedBytesRead = 0;
  #endedBytesWritten = 0;

  constructor(protocols: readonly Protocol[]) {
    this.#messages = new Map(protocols.map((p) => [p, new MessageCounters(p)]));
  }

  /** The message counters of a registered protocol. */
  messages(protocol: Protocol): MessageCounters | undefined {
    return this.#messages.get(protocol);
  }

  /** A dial started (TCP connect) or the listener admitted an inbound connection. */
  attempt(inbound: boolean): void {
    this.#side(inbound).attempts++;
  }

  /** A connection became a peer after `handshakeMs`. */
  succeeded(inbound: boolean, handshakeMs: number): void {
    const side = this.#side(inbound);
    side.succeeded++;
    side.handshake.observe(handshakeMs / 1000);
  }

  /** A connection failed before it became a peer. */
  failed(inbound: boolean, kind: ConnectionErrorClass): void {
    this.#side(inbound).errors[kind]++;
  }

  /** A connection or peer closed: its bytes move from the live sum to the ended totals. */
  closed(bytesRead: number, bytesWritten: number): void {
    this.#endedBytesRead += bytesRead;
    this.#endedBytesWritten += bytesWritten;
  }

  /** A peer ended after `livedMs`; call together with {@link ServerCounters.closed}. */
  peerEnded(inbound: boolean, livedMs: number): void {
    if (livedMs >= ONE_MINUTE_MS) this.#side(inbound).endedAfterOneMinute++;
  }

  /** A snapshot, given the live peers and the clock's now. */
  snapshot(live: Iterable<LiveConnection>, now: number): ServerMetrics {
    let inbound = 0;
    let total = 0;
    let bytesRead = this.#endedBytesRead;
    let bytesWritten = this.#endedBytesWritten;
    const oneMinute = { inbound: 0, outbound: 0 };
    for (const c of live) {
      total++;
      if (c.inbound) inbound++;
      bytesRead += c.bytesRead;
      bytesWritten += c.bytesWritten;
      if (now - c.addedAt >= ONE_MINUTE_MS) oneMinute[c.inbound ? 'inbound' : 'outbound']++;
    }
    return {
      peers: { total, inbound, outbound: total - inbound },
      ingressBytes: bytesRead,
      egressBytes: bytesWritten,
      dials: this.#dials.snapshot(oneMinute.outbound),
      serves: this.#serves.snapshot(oneMinute.inbound),
      handshakeDuration: {
        inbound: this.#serves.handshake.snapshot(),
        outbound: this.#dials.handshake.snapshot(),
      },
      messages: [...this.#messages.values()].map((m) => m.snapshot()),
    };
  }

  #side(inbound: boolean): ConnectionCounter {
    return inbound ? this.#serves : this.#dials;
  }
}
