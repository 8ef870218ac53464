/**
 * What the dashboard's WebSocket sends: one JSON object per message, a `snapshot` first, then
 * deltas as they happen and a `tick` every sample interval. `assets/dashboard.js` reads these.
 * @module
 */

/** Bytes on the wire (RLPx frames and handshake) received and sent. */
export interface TrafficCounts {
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** This node. */
export interface NodeView {
  /** The node ID in hex. */
  readonly id: string;
  /** The client name sent in Hello. */
  readonly name: string;
  readonly enode: string;
  /** The bound `host:port`, or `''` when not listening. */
  readonly listenAddr: string;
}

/** A peer's round-trip time (Ping → Pong) in ms. */
export interface RttView {
  readonly lastMs: number;
  readonly smoothedMs: number;
}

/** What changes about a peer from one tick to the next. */
export interface PeerStats {
  /** The node ID in hex. */
  readonly id: string;
  /** Null until the first Pong came back. */
  readonly rtt: RttView | null;
  /** Bytes on the wire from the peer, as `admin_peers` `traffic.ingressBytes`. */
  readonly bytesIn: number;
  /** Bytes on the wire to the peer, as `admin_peers` `traffic.egressBytes`. */
  readonly bytesOut: number;
}

/** One connected peer. */
export interface PeerView extends PeerStats {
  /** The client name from Hello, cut to {@link MAX_NAME_CHARS}. */
  readonly name: string;
  /** The client part of the name (`Geth` of `Geth/v1.14/...`). */
  readonly client: string;
  /** Capabilities as `name/version`. */
  readonly caps: readonly string[];
  readonly direction: 'inbound' | 'outbound';
  /** `ip:port` of the remote end. */
  readonly remoteAddress: string;
}

/** The discovery table by bucket: node counts per log distance from us, nearest first. */
export interface TableView {
  readonly size: number;
  readonly buckets: readonly { readonly distance: number; readonly count: number }[];
}

/** The chain's head block. */
export interface HeadView {
  /** The block number in decimal. */
  readonly number: string;
  /** The block hash, 0x-prefixed. */
  readonly hash: string;
}

/** Traffic over one sample interval, in bytes per second. */
export interface TrafficSample {
  /** The end of the interval, in ms since the epoch. */
  readonly t: number;
  readonly inBps: number;
  readonly outBps: number;
}

/** One line of dial activity. */
export interface ActivityEntry {
  /** When, in ms since the epoch. */
  readonly t: number;
  readonly kind: 'peer:added' | 'peer:removed' | 'dial:failed';
  /** The remote node ID in hex. */
  readonly id: string;
  /** The client name (added), the reason (removed) or the error (failed dial). */
  readonly detail: string;
}

/** The first message on a connection: the whole state, with the history kept so far. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly node: NodeView;
  readonly head: HeadView | null;
  readonly peers: readonly PeerView[];
  readonly table: TableView | null;
  readonly activity: readonly ActivityEntry[];
  readonly traffic: readonly TrafficSample[];
  readonly totals: TrafficCounts;
  readonly sampleIntervalMs: number;
}

/** A delta or a tick. */
export type UpdateMessage =
  | { readonly type: 'peer:added'; readonly peer: PeerView; readonly activity: ActivityEntry }
  | { readonly type: 'peer:removed'; readonly id: string; readonly activity: ActivityEntry }
  | { readonly type: 'dial:failed'; readonly activity: ActivityEntry }
  | {
      readonly type: 'tick';
      readonly sample: TrafficSample;
      readonly totals: TrafficCounts;
      readonly peers: readonly PeerStats[];
      readonly table: TableView | null;
      readonly head: HeadView | null;
    };

/** Any message of the dashboard's WebSocket. */
export type DashboardMessage = SnapshotMessage | UpdateMessage;

/** Longest client name shown (a Hello name may be up to 2 KiB). */
export const MAX_NAME_CHARS = 128;
/** Longest activity detail shown. */
export const MAX_DETAIL_CHARS = 200;
