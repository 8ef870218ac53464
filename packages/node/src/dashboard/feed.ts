/**
 * The dashboard's state: a fixed history of traffic samples and of dial activity, fed by the
 * server's events and a sample timer, and handed out as a snapshot plus a stream of updates.
 * @module
 */
import {
  type Clock,
  checkPositiveInt,
  type Logger,
  safeEmit,
  silentLogger,
  systemClock,
  type Timer,
} from '@ethp2p/base';
import { type Node, nodeIdToHex } from '@ethp2p/enode';
import type { ChainReader } from '@ethp2p/eth';
import {
  type DialFailedEvent,
  discReasonText,
  type PeerAddedEvent,
  type PeerRemovedEvent,
  type Server,
} from '@ethp2p/server';
import { EventEmitter } from 'eventemitter3';
import {
  type ActivityEntry,
  type HeadView,
  MAX_DETAIL_CHARS,
  MAX_NAME_CHARS,
  type SnapshotMessage,
  type TableView,
  type TrafficCounts,
  type TrafficSample,
  type UpdateMessage,
} from './messages.ts';
import { Ring } from './ring.ts';
import { headView, peerStats, peerView, serverTraffic, tableView } from './views.ts';

/** Time between two ticks (traffic samples): 1 s. */
export const DASHBOARD_SAMPLE_INTERVAL_MS = 1000;
/** Traffic samples kept: 5 minutes at one a second. */
export const DASHBOARD_HISTORY_LENGTH = 300;
/** Dial activity entries kept. */
export const DASHBOARD_ACTIVITY_LENGTH = 100;

/** What the dashboard watches: the server and, when there are, discovery and the chain. */
export interface DashboardFeedOptions {
  /** A started server. */
  readonly server: Server;
  /** The discovery table to show by bucket. */
  readonly discovery?: { nodes(): readonly Node[] } | undefined;
  /** The chain whose head is shown. */
  readonly chain?: Pick<ChainReader, 'head'> | undefined;
  /** Runs the sample timer and stamps samples and activity (default: the system clock). */
  readonly clock?: Clock;
  /** Time between ticks (default {@link DASHBOARD_SAMPLE_INTERVAL_MS}). */
  readonly sampleIntervalMs?: number;
  /** Traffic samples kept (default {@link DASHBOARD_HISTORY_LENGTH}). */
  readonly historyLength?: number;
  /** Activity entries kept (default {@link DASHBOARD_ACTIVITY_LENGTH}). */
  readonly activityLength?: number;
  readonly logger?: Logger;
}

/** Events of {@link DashboardFeed}. */
export interface DashboardFeedEvents {
  /** A delta (peer added or removed, failed dial) or a tick. */
  update: (message: UpdateMessage) => void;
}

/**
 * Watches a server from {@link DashboardFeed.start} to {@link DashboardFeed.stop}. It owns the
 * traffic history and the activity list, both fixed-size rings; the peers, the table, the head
 * and the byte counts are read from their owners when a snapshot or a tick is built (the
 * server's counters, `Server.metrics` and `Peer.traffic`, which Prometheus and `admin_peers`
 * show too).
 */
export class DashboardFeed {
  /** `update` for every delta and tick. */
  readonly events: Pick<EventEmitter<DashboardFeedEvents>, 'on' | 'once' | 'off'>;
  /** Time between ticks in ms. */
  readonly sampleIntervalMs: number;
  readonly #emitter = new EventEmitter<DashboardFeedEvents>();
  readonly #server: Server;
  readonly #discovery: DashboardFeedOptions['discovery'];
  readonly #chain: DashboardFeedOptions['chain'];
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #history: Ring<TrafficSample>;
  readonly #activity: Ring<ActivityEntry>;
  #timer: Timer | undefined;
  #last: { t: number; totals: TrafficCounts } | undefined;
  #state: 'new' | 'running' | 'stopped' = 'new';

  /** @throws {RangeError} for a non-positive interval or length */
  constructor(options: DashboardFeedOptions) {
    this.#server = options.server;
    this.#discovery = options.discovery;
    this.#chain = options.chain;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.sampleIntervalMs = checkPositiveInt(
      'sampleIntervalMs',
      options.sampleIntervalMs ?? DASHBOARD_SAMPLE_INTERVAL_MS,
    );
    this.#history = new Ring(options.historyLength ?? DASHBOARD_HISTORY_LENGTH);
    this.#activity = new Ring(options.activityLength ?? DASHBOARD_ACTIVITY_LENGTH);
    this.events = this.#emitter;
  }

  /** Subscribes to the server's events and starts the sample timer. */
  start(): void {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    const events = this.#server.events;
    events.on('peer:added', this.#onAdded);
    events.on('peer:removed', this.#onRemoved);
    events.on('dial:failed', this.#onDialFailed);
    this.#last = { t: this.#clock.now(), totals: serverTraffic(this.#server) };
    this.#schedule();
  }

  /** Unsubscribes and cancels the timer. Idempotent. */
  stop(): void {
    if (this.#state === 'stopped') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'stopped';
    this.#timer?.cancel();
    this.#timer = undefined;
    if (!wasRunning) return;
    const events = this.#server.events;
    events.off('peer:added', this.#onAdded);
    events.off('peer:removed', this.#onRemoved);
    events.off('dial:failed', this.#onDialFailed);
  }

  /** The whole state now, with the kept history. */
  snapshot(): SnapshotMessage {
    const info = this.#server.nodeInfo();
    return {
      type: 'snapshot',
      node: { id: info.id, name: info.name, enode: info.enode, listenAddr: info.listenAddr },
      head: this.#head(),
      peers: this.#server.peers().map(peerView),
      table: this.#table(),
      activity: this.#activity.toArray(),
      traffic: this.#history.toArray(),
      totals: serverTraffic(this.#server),
      sampleIntervalMs: this.sampleIntervalMs,
    };
  }

  #schedule(): void {
    this.#timer = this.#clock.schedule(this.sampleIntervalMs, () => {
      this.#timer = undefined;
      if (this.#state !== 'running') return;
      this.#tick();
      this.#schedule();
    });
  }

  #tick(): void {
    const t = this.#clock.now();
    const totals = serverTraffic(this.#server);
    const last = this.#last ?? { t, totals };
    const seconds = Math.max(t - last.t, 1) / 1000;
    const sample: TrafficSample = {
      t,
      inBps: Math.max(0, totals.bytesIn - last.totals.bytesIn) / seconds,
      outBps: Math.max(0, totals.bytesOut - last.totals.bytesOut) / seconds,
    };
    this.#last = { t, totals };
    this.#history.push(sample);
    this.#emit({
      type: 'tick',
      sample,
      totals,
      peers: this.#server.peers().map(peerStats),
      table: this.#table(),
      head: this.#head(),
    });
  }

  readonly #onAdded = ({ peer }: PeerAddedEvent): void => {
    const view = peerView(peer);
    const activity = this.#record('peer:added', view.id, peer.name.slice(0, MAX_NAME_CHARS));
    this.#emit({ type: 'peer:added', peer: view, activity });
  };

  readonly #onRemoved = ({ peer, reason, remoteRequested }: PeerRemovedEvent): void => {
    const id = nodeIdToHex(peer.id);
    const detail = `${discReasonText(reason)}${remoteRequested ? ' (by the remote)' : ''}`;
    const activity = this.#record('peer:removed', id, detail);
    this.#emit({ type: 'peer:removed', id, activity });
  };

  readonly #onDialFailed = ({ node, error }: DialFailedEvent): void => {
    const message = error instanceof Error ? error.message : String(error);
    const activity = this.#record('dial:failed', nodeIdToHex(node.id), message);
    this.#emit({ type: 'dial:failed', activity });
  };

  #record(kind: ActivityEntry['kind'], id: string, detail: string): ActivityEntry {
    const entry = { t: this.#clock.now(), kind, id, detail: detail.slice(0, MAX_DETAIL_CHARS) };
    this.#activity.push(entry);
    return entry;
  }

  #table(): TableView | null {
    const discovery = this.#discovery;
    return discovery === undefined ? null : tableView(this.#server.id, discovery.nodes());
  }

  #head(): HeadView | null {
    return this.#chain === undefined ? null : headView(this.#chain.head());
  }

  #emit(message: UpdateMessage): void {
    safeEmit(this.#emitter, 'update', message, (err) =>
      this.#log.warn('dashboard listener failed', { err: String(err) }),
    );
  }
}
