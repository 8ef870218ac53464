/**
 * The messages between the coordinator of a sharded simulation (the main thread) and its shard
 * workers. The coordinator sends `step` (run one window), `sample` (report the tables) and `close`;
 * a shard answers `ready` once built, `stepped`, `sampled`, and exits after `close`. Datagrams
 * travel as transferred batch buffers (see `bridge-batch.ts`).
 * @module
 */
import type { SimOptions } from './options.ts';

/** What a shard worker is started with. */
export interface ShardInit {
  readonly options: SimOptions;
  readonly shard: number;
  /** Virtual start time of every shard's clock. */
  readonly startMs: number;
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
 * Runs the window [`fromMs`, `untilMs`): every event before `untilMs`, after taking in `inbound`
 * and starting `lookups` at `fromMs`. Every event before `fromMs` has run.
 */
export interface StepMessage {
  readonly kind: 'step';
  readonly fromMs: number;
  readonly untilMs: number;
  /** Batches of datagrams for this shard's nodes, sent in earlier windows. */
  readonly inbound: ArrayBuffer[];
  /** Lookups to start at the window's start. */
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

export type ToShard = StepMessage | SampleMessage | CloseMessage;

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

/** A window done. */
export interface SteppedMessage {
  readonly kind: 'stepped';
  /** Per destination shard: the batch of datagrams for it, or null. */
  readonly outbound: (ArrayBuffer | null)[];
  /** Per destination shard: the earliest arrival in its batch (`Infinity` when none). */
  readonly minArrivalMs: number[];
  /** When this shard's next event falls due (`Infinity` when none waits). */
  readonly nextAtMs: number;
  readonly counters: ShardCounters;
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

/** The nodes are stopped; the worker exits next. */
export interface ClosedMessage {
  readonly kind: 'closed';
  readonly counters: ShardCounters;
}

export type FromShard = ReadyMessage | SteppedMessage | SampledMessage | ClosedMessage;
