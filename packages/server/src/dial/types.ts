/**
 * Public types of the dial scheduler: its options, the injected dial function, events and
 * metrics.
 * @module
 */
import type { Clock, Logger, Random } from '@ethp2p/base';
import type { Node, NodeId } from '@ethp2p/enode';
import type { NetRestrict } from '../netrestrict.ts';
import type { NodeSource } from '../node-source.ts';
import type { DialSkipReason } from './check.ts';

/**
 * Where a dial came from: the static set, the source's random nodes (`randomNodes()`), or a
 * `discoverTask` lookup (`lookup()`).
 */
export type DialOrigin = 'static' | 'random' | 'lookup';

/** How a connected peer came to be, as the server reports it in `peerAdded`. */
export type PeerDialFlag = 'static' | 'dynamic' | 'inbound';

/** What the scheduler tells the dial function about a dial. */
export interface DialFlags {
  /** True for static nodes, which are redialed whenever they are not connected. */
  readonly static: boolean;
}

/**
 * Dials `node` and adds it as a peer: TCP connect, RLPx handshake, Hello and the server's
 * checkpoints. Resolves once the peer was added (the server reports it with
 * {@link DialScheduler.peerAdded} before or when resolving), rejects with the reason otherwise.
 * It must honour `signal` (the scheduler aborts it after the dial timeout and on stop) and
 * settle soon after it aborts; the scheduler stops waiting at the abort anyway.
 */
export type DialFunction = (node: Node, flags: DialFlags, signal: AbortSignal) => Promise<void>;

/**
 * What the scheduler asks the reputation owner (the server's `Reputation`) about a node, by hex
 * node ID.
 */
export interface DialReputation {
  /** Whether the node is banned: it is never dialed, static or not. */
  isBanned(key: string): boolean;
  /**
   * The node's score: a dynamic candidate below `DIAL_MIN_REPUTATION` is skipped, and buffered
   * candidates are dialed best score first (unknown nodes score 0, so they are not starved).
   */
  score(key: string): number;
}

/** Options of {@link DialScheduler}. */
export interface DialSchedulerOptions {
  /** Our node ID; never dialed. */
  readonly self: NodeId;
  /**
   * Dynamic dial slots: geth `maxDialedConns`, MaxPeers / DialRatio, or 0 with NoDial. Half of
   * them (rounded down) may be filled from random nodes, the rest from lookups.
   */
  readonly maxDialedPeers: number;
  /** Dials running at once, static and dynamic (default 16, geth's `maxActiveDialTasks`). */
  readonly maxActiveDials?: number;
  /** One dial attempt's deadline (default 15 s). */
  readonly dialTimeoutMs?: number;
  /** How long a dialed node is not dialed again (default 35 s). */
  readonly historyExpirationMs?: number;
  /** Least time between two lookup starts (default 4 s). */
  readonly lookupIntervalMs?: number;
  /** Only nodes inside it are dialed (default: any). */
  readonly netRestrict?: NetRestrict;
  /** Where dynamic candidates come from, and how static nodes are resolved. */
  readonly source?: NodeSource;
  /** Nodes to keep connected; more can be added with `addStatic`. */
  readonly staticNodes?: readonly Node[];
  /** Bans and scores (default: nothing banned, every score 0). */
  readonly reputation?: DialReputation;
  /** Connects to a node; injected by the server. */
  readonly dial: DialFunction;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
}

/** Payload of `dial:start`. */
export interface DialStartEvent {
  readonly node: Node;
  readonly static: boolean;
  readonly origin: DialOrigin;
  /** 1, or 2 for a static node's retry at the endpoint the source resolved. */
  readonly attempt: number;
  /**
   * When the source handed the node to the scheduler (clock ms); `startedAt - discoveredAt` is
   * the discovery-to-dial latency. Undefined for static nodes.
   */
  readonly discoveredAt: number | undefined;
  /** When this attempt started (clock ms). */
  readonly startedAt: number;
}

/** Payload of `dial:done`, once per dial task (after a retry, if any). */
export interface DialDoneEvent {
  readonly node: Node;
  readonly static: boolean;
  readonly origin: DialOrigin;
  /** Why the dial failed: the dial function's error, or a {@link DialError}. Absent on success. */
  readonly error?: unknown;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** Events of {@link DialScheduler}, one payload object each. */
export interface DialSchedulerEvents {
  /** A dial attempt starts: the dial function was just called. */
  'dial:start': (event: DialStartEvent) => void;
  /** A dial task ended. */
  'dial:done': (event: DialDoneEvent) => void;
}

/** A snapshot of the scheduler's counters. */
export interface DialMetrics {
  /** Calls of the dial function, retries included. */
  readonly attempts: number;
  /** Dial tasks that ended with the peer added. */
  readonly succeeded: number;
  /** Dial tasks that failed, timeouts and aborts at stop included. */
  readonly failed: number;
  /** Dial attempts aborted by the dial timeout. */
  readonly timedOut: number;
  /** Static nodes resolved through the source after a failure (or for lack of an endpoint). */
  readonly resolves: number;
  /** Static dials retried at a changed endpoint. */
  readonly retries: number;
  /** Lookups started by `discoverTask`. */
  readonly lookups: number;
  /** Usable candidates received, by origin. */
  readonly candidates: Readonly<Record<'random' | 'lookup', number>>;
  /** Candidates and static nodes not dialed, by the first check they failed. */
  readonly skipped: Readonly<Record<DialSkipReason, number>>;
  /** Dials running now. */
  readonly activeDials: number;
  /** Discovery-to-dial latency of dynamic dials: count, sum and maximum in ms. */
  readonly latency: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
}
