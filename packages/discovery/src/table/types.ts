/**
 * Public types of the node table: its events, options and diagnostic snapshots.
 * @module
 */
import type { Clock, Logger, Random } from '@ethp2p/base';
import type { Node, NodeDatabase } from '@ethp2p/enode';
import type { BanCheck } from '../ban-check.ts';
import type { RevalidationListName } from './revalidation.ts';

/** Why a node left the table. */
export type TableRemovalReason = 'deleted' | 'findnode-failures' | 'unresponsive';

/** Events of the node table, one payload object each. Emitted after the change is complete. */
export interface TableEvents {
  /** A node became a bucket entry (newly added or promoted from the replacements). */
  'node:added': (event: { readonly node: Node; readonly bucket: number }) => void;
  /** A bucket entry was removed. */
  'node:removed': (event: {
    readonly node: Node;
    readonly bucket: number;
    readonly reason: TableRemovalReason;
  }) => void;
}

/** The part of the node database the table uses (findnode failures, seeds). */
export type TableDatabase = Pick<NodeDatabase, 'updateNode' | 'findFails' | 'updateFindFails'>;

/** Options of the node table. */
export interface TableOptions {
  /** The local node's ID; it is never added. */
  readonly selfId: Uint8Array;
  /** Keeps findnode failure counts and receives long-lived nodes as future seeds. */
  readonly db?: TableDatabase;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Fast revalidation interval; default PING_INTERVAL_MS. */
  readonly pingIntervalMs?: number;
  /** Banned node IDs and IPs: such nodes are never added (default: none). */
  readonly bans?: BanCheck;
}

/** What the table knows about one of its entries (a snapshot). */
export interface TableNodeInfo {
  readonly node: Node;
  /** The bucket index, 0-16 (log distance 239 or less is bucket 0, then one per distance). */
  readonly bucket: number;
  /** When the node entered the table (or its replacement list), in clock ms. */
  readonly addedAtMs: number;
  /** When the node became a bucket entry (later than `addedAtMs` for a promoted replacement). */
  readonly addedToBucketAtMs: number;
  /** When the node last answered a revalidation ping, in clock ms; `undefined` before that. */
  readonly lastPongMs: number | undefined;
  /** Revalidation pings left unanswered since the last answered one. */
  readonly failedRevalidations: number;
  /** Consecutive failed findnode queries, as of the last query the table tracked. */
  readonly findnodeFailures: number;
  /** Answered revalidations, divided by 3 on each failure (geth `livenessChecks`). */
  readonly livenessChecks: number;
  /** Whether the node answered a revalidation since its endpoint last changed. */
  readonly isValidatedLive: boolean;
  /** The revalidation list holding it: `fast` until it answers, then `slow`. */
  readonly revalidation: RevalidationListName;
}

/** A snapshot of one bucket: entries in insertion order, replacements newest first. */
export interface TableBucketSnapshot {
  readonly index: number;
  readonly entries: readonly Node[];
  readonly replacements: readonly Node[];
}
