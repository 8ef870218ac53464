/**
 * The messages between the coordinator of a sharded simulation (the main thread) and its shard
 * workers, and between the workers. The coordinator sends `run` (run windows up to a time),
 * `sample` (report the tables) and `close`; a shard answers `ready` once built, `ran`, `sampled`,
 * and exits after `close`. After each window every shard sends every other one a
 * {@link PeerMessage} on their own channel: the datagrams for it as one transferred batch buffer
 * (see `bridge-batch.ts`), and what all shards need to agree on the next window.
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { SimOptions } from './options.ts';

/** What a shard worker is started with. */
export interface ShardInit {
  readonly options: SimOptions;
  readonly shard: number;
  /** Virtual start time of every shard's clock. */
  readonly startMs: number;
  /** By shard: the channel to that shard (null for this one). */
  readonly peers: readonly (MessagePort | null)[];
}

/** What a shard sends each other shard after each window. */
export interface PeerMessage {
  /** The datagrams for the receiving shard, or null. */
  readonly batch: ArrayBuffer | null;
  /** When the sender's next event falls due (`Infinity` when none waits). */
  readonly nextAtMs: number;
  /** By destination shard: the earliest arrival among the datagrams the sender sent it. */
  readonly minArrivalMs: readonly number[];
}

/** A lookup the coordinator asks the owning shard to run. */
export interface LookupRequest {
  readonly id: number;
  /** The node that looks. */
  readonly from: number;
  /** The 64-byte target public key. */
  readonly target: Uint8Array;
}

/**
 * Runs windows until every event before `untilMs` has run. With `startNow`, the first window
 * starts where the last run ended (else at the next event of any shard), and `lookups` start then.
 * Every shard gets the same `untilMs` and `startNow`.
 */
export interface RunMessage {
  readonly kind: 'run';
  readonly untilMs: number;
  readonly startNow: boolean;
  /** Lookups to start at the first window's start. */
  readonly lookups: readonly LookupRequest[];
  /** Abandons every lookup still running (each ends as abandoned). */
  readonly abortLookups: boolean;
}

/** Asks for the tables now. */
export interface SampleMessage {
  readonly kind: 'sample';
}

/** Asks the shard to stop its nodes and exit (also in the middle of a window). */
export interface CloseMessage {
  readonly kind: 'close';
}

export type ToShard = RunMessage | SampleMessage | CloseMessage;

/** The shard's network counters, cumulative. */
export interface ShardCounters {
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly handlerErrors: number;
  /** Virtual instants run. */
  readonly instants: number;
}

/** A lookup that ended. */
export interface LookupDone {
  readonly id: number;
  /** IDs of the result, 32 bytes each, nearest first. */
  readonly ids: Uint8Array;
  readonly queried: number;
  readonly hops: number;
  readonly durationMs: number;
  /** Cut short by `abortLookups`: counted as finding nothing. */
  readonly abandoned: boolean;
}

/** The shard is built: the node IDs it runs, 32 bytes each, in index order. */
export interface ReadyMessage {
  readonly kind: 'ready';
  readonly ids: ArrayBuffer;
}

/** A run done: every event before its `untilMs` has run. */
export interface RanMessage {
  readonly kind: 'ran';
  readonly counters: ShardCounters;
  /** Windows run so far. */
  readonly windows: number;
  readonly lookups: LookupDone[];
}

/** The tables of the shard's started nodes. */
export interface SampledMessage {
  readonly kind: 'sampled';
  readonly joined: number;
  /** Sum of the table sizes of the started nodes. */
  readonly fill: number;
  /** Smallest table of a started node (`Infinity` when none). */
  readonly minFill: number;
}

export type FromShard = ReadyMessage | RanMessage | SampledMessage;
