/**
 * The Kademlia node table of Node Discovery v4 (geth `p2p/discover/table.go` at HEAD): 17
 * buckets by log distance to the local node, each with up to 16 entries and 10 replacements,
 * per-subnet IP limits, and liveness revalidation with fast and slow lists
 * (see `revalidation.ts`).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#kademlia-table
 * @module
 */

import {
  type Clock,
  checkPositiveInt,
  defaultLogger,
  type Logger,
  type Random,
  safeEmit,
  systemClock,
  systemRandom,
  TaskGroup,
} from '@ethp2p/base';
import { assertBytes, equalBytes } from '@ethp2p/crypto';
import { logDistance, Node } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import { type BanCheck, NO_BANS } from '../ban-check.ts';
import { NodesByDistance } from '../lookup/nodes-by-distance.ts';
import type { TableEntry } from './bucket.ts';
import { bucketAtDistance } from './bucket.ts';
import type { TableChange } from './buckets.ts';
import { Buckets } from './buckets.ts';
import {
  BUCKET_SIZE,
  HASH_BITS,
  MAX_FINDNODE_FAILURES,
  PING_INTERVAL_MS,
  SEED_MIN_LIVENESS_CHECKS,
  SLOW_REVALIDATION_FACTOR,
} from './constants.ts';
import { FindFails } from './find-fails.ts';
import type { RevalidationResult, Revalidator } from './revalidation.ts';
import { Revalidation } from './revalidation.ts';
import type {
  TableBucketSnapshot,
  TableDatabase,
  TableEvents,
  TableNodeInfo,
  TableOptions,
} from './types.ts';

/**
 * The node table. It owns its buckets, IP counters and revalidation lists and changes them only
 * synchronously inside its own methods; results of asynchronous work (revalidation pings,
 * database reads) are applied in one synchronous step when they arrive, after checking the node
 * is still present. Memory is bounded: 17 × (16 + 10) nodes.
 *
 * @example
 * ```ts
 * const table = new Table({ selfId: local.id, clock, random });
 * table.events.on('node:added', ({ node }) => console.log(node.enodeUrl()));
 * table.addFoundNode(bootnode);
 * table.start(revalidator);
 * const closest = table.closest(target, 16, true);
 * await table.stop();
 * ```
 */
export class Table {
  /** `node:added` and `node:removed` notifications. */
  readonly events: Pick<EventEmitter<TableEvents>, 'on' | 'once' | 'off'>;
  readonly #emitter = new EventEmitter<TableEvents>();
  readonly #selfId: Uint8Array;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #db: TableDatabase | undefined;
  readonly #buckets: Buckets;
  readonly #reval: Revalidation;
  readonly #findFails: FindFails;
  readonly #bans: BanCheck;
  readonly #writes = new TaskGroup();
  #initDone = false;

  /** @throws {RangeError} unless `selfId` is 32 bytes or `pingIntervalMs` a positive integer */
  constructor(options: TableOptions) {
    assertBytes('selfId', options.selfId, 32);
    const pingMs = checkPositiveInt('pingIntervalMs', options.pingIntervalMs ?? PING_INTERVAL_MS);
    this.#selfId = Uint8Array.from(options.selfId);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#logger = options.logger ?? defaultLogger;
    this.#db = options.db;
    this.#bans = options.bans ?? NO_BANS;
    this.#findFails = new FindFails(this.#db, this.#logger);
    this.events = this.#emitter;
    this.#reval = new Revalidation({
      clock: this.#clock,
      random: this.#random,
      logger: this.#logger,
      fastIntervalMs: pingMs,
      slowIntervalMs: pingMs * SLOW_REVALIDATION_FACTOR,
      onResult: (entry, result) => this.#applyRevalidation(entry, result),
    });
    this.#buckets = new Buckets({
      selfId: this.#selfId,
      clock: this.#clock,
      random: this.#random,
      revalidation: this.#reval,
      onChange: (change) => this.#emit(change),
    });
  }

  /** How many nodes the buckets hold (replacements not counted). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Whether the first refresh has completed, so inbound nodes are accepted. */
  get initDone(): boolean {
    return this.#initDone;
  }

  /** Records that the first refresh completed; from now on inbound nodes are accepted. */
  markInitDone(): void {
    this.#initDone = true;
  }

  /**
   * Adds a node learned from another node (a Neighbors entry, a seed or a bootnode). A known node
   * is updated only if the record's seq is higher. A full bucket keeps it as a replacement.
   * Returns whether the node was added to a bucket or its entry updated.
   * @throws {TypeError} unless `node` is a `Node`
   */
  addFoundNode(node: Node): boolean {
    return this.#add(checkNode('node', node), false);
  }

  /**
   * Adds a node that contacted us itself (a ping we answered and bonded). Rejected until
   * {@link Table.markInitDone} (against table poisoning); a known node accepts any record,
   * even with a lower seq. Returns whether the node was added to a bucket or its entry updated.
   * @throws {TypeError} unless `node` is a `Node`
   */
  addInboundNode(node: Node): boolean {
    return this.#add(checkNode('node', node), true);
  }

  /** Removes `node` and promotes a random replacement of its bucket; a no-op if absent. */
  deleteNode(node: Node): void {
    const entry = this.#buckets.entryOf(checkNode('node', node));
    if (entry !== undefined) this.#buckets.delete(entry, 'deleted');
  }

  /**
   * Reports the outcome of a findnode query to `node` (geth `trackRequest`): success resets its
   * consecutive failure count, failure increments it; after MAX_FINDNODE_FAILURES failures the
   * node is deleted if its bucket holds at least BUCKET_SIZE / 4 entries. Then `found` are added
   * as found nodes. Resolves when applied; database errors are logged, never thrown.
   * @throws {TypeError} (as a rejection) on a non-`Node` argument
   */
  async trackRequest(node: Node, success: boolean, found: readonly Node[] = []): Promise<void> {
    checkNode('node', node);
    for (const [i, n] of found.entries()) checkNode(`found[${i}]`, n);
    const fails = await this.#findFails.record(node, success, this.#buckets.entryOf(node));
    const entry = this.#buckets.entryOf(node);
    if (entry !== undefined) entry.findFails = fails;
    const bucket = this.#buckets.bucketOf(node.id);
    if (
      entry !== undefined &&
      fails >= MAX_FINDNODE_FAILURES &&
      bucket.entries.length >= BUCKET_SIZE / 4
    ) {
      this.#buckets.delete(entry, 'findnode-failures');
    }
    for (const n of found) this.#add(n, false);
  }

  /**
   * The `n` nodes closest to `target` by XOR distance, closest first (geth `findnodeByID`).
   * With `preferLive`, only validated-live nodes are considered if there are any. One pass over
   * the buckets into a bounded insertion list: O(entries × n), no sort of the whole table (this
   * runs for every FindNode we answer).
   * @throws {RangeError} unless `target` is 32 bytes and `n` a non-negative integer
   */
  closest(target: Uint8Array, n: number, preferLive = false): Node[] {
    assertBytes('target', target, 32);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`n: expected a non-negative integer, got ${n}`);
    }
    const buckets = this.#buckets.all;
    const liveOnly = preferLive && buckets.some((b) => b.entries.some((e) => e.isValidatedLive));
    const result = new NodesByDistance(target, n);
    for (const bucket of buckets) {
      for (const e of bucket.entries) {
        if (!liveOnly || e.isValidatedLive) result.push(e.node);
      }
    }
    return [...result.entries];
  }

  /**
   * The bucket entries at log distance `distance` (1–256) from the local node, in bucket order
   * (geth `appendBucketNodes`, for discv5 FINDNODE); with `liveOnly`, validated-live ones only.
   * Other distances give an empty list.
   */
  atDistance(distance: number, liveOnly: boolean): Node[] {
    if (!Number.isInteger(distance) || distance < 1 || distance > HASH_BITS) return [];
    const bucket = this.#buckets.all[bucketAtDistance(distance)];
    const out: Node[] = [];
    for (const e of bucket?.entries ?? []) {
      if (liveOnly && !e.isValidatedLive) continue;
      if (logDistance(this.#selfId, e.node.id) === distance) out.push(e.node);
    }
    return out;
  }

  /** Every node in the buckets, bucket by bucket. */
  nodes(): Node[] {
    return this.#buckets.all.flatMap((b) => b.entries.map((e) => e.node));
  }

  /** The table's record of the node `id`, or `undefined` (replacements are not looked up). */
  get(id: Uint8Array): Node | undefined {
    return this.#buckets.entry(id)?.node;
  }

  /** Whether the node `id` is in a bucket. */
  has(id: Uint8Array): boolean {
    return this.#buckets.entry(id) !== undefined;
  }

  /** What the table knows about the node `id`, or `undefined` if it is not in a bucket. */
  info(id: Uint8Array): TableNodeInfo | undefined {
    const e = this.#buckets.entry(id);
    return e === undefined ? undefined : entryInfo(e, this.#buckets.bucketOf(e.node.id).index);
  }

  /** What the table knows about each bucket entry, bucket by bucket (replacements left out). */
  entries(): TableNodeInfo[] {
    return this.#buckets.all.flatMap((b) => b.entries.map((e) => entryInfo(e, b.index)));
  }

  /** A snapshot of every bucket, for diagnostics (geth `TableBuckets`). */
  buckets(): TableBucketSnapshot[] {
    return this.#buckets.all.map((b) => ({
      index: b.index,
      entries: b.entries.map((e) => e.node),
      replacements: b.replacements.map((e) => e.node),
    }));
  }

  /** Starts revalidating entries through `revalidator`; a no-op while started. */
  start(revalidator: Revalidator): void {
    this.#reval.start(revalidator);
  }

  /**
   * Stops revalidation: cancels its timer, aborts checks in flight and waits for them and for
   * pending database writes. Safe to call twice; the table stays usable and can be restarted.
   */
  async stop(): Promise<void> {
    await this.#reval.stop();
    await Promise.all([this.#writes.wait(), this.#findFails.idle()]);
  }

  /** geth `tableRevalidation.handleResponse`. */
  #applyRevalidation(entry: TableEntry, result: RevalidationResult): void {
    if (entry.revalList === undefined) return; // left the table while being checked
    if (!result.responded) {
      entry.failedRevalidations++;
      entry.livenessChecks = Math.floor(entry.livenessChecks / 3);
      if (entry.livenessChecks <= 0) this.#buckets.delete(entry, 'unresponsive');
      else this.#reval.moveTo(this.#reval.fast, entry);
    } else {
      entry.lastPongMs = this.#clock.now();
      entry.failedRevalidations = 0;
      entry.livenessChecks++;
      entry.isValidatedLive = true;
      const bucket = this.#buckets.bucketOf(entry.node.id);
      const bumped =
        result.newRecord === undefined
          ? undefined
          : this.#buckets.bump(bucket, entry, result.newRecord, false);
      if (bumped?.endpointChanged !== true) this.#reval.moveTo(this.#reval.slow, entry);
    }
    if (entry.isValidatedLive && entry.livenessChecks > SEED_MIN_LIVENESS_CHECKS)
      this.#storeSeed(entry.node);
  }

  #storeSeed(node: Node): void {
    const db = this.#db;
    if (db === undefined) return;
    const write = db.updateNode(node).catch((err: unknown) => {
      this.#logger.debug('storing a seed node failed', { err });
    });
    void this.#writes.spawn(write);
  }

  /** geth `handleAddNode`: self and, before init, inbound nodes are rejected up front. */
  #add(node: Node, inbound: boolean): boolean {
    if (equalBytes(node.id, this.#selfId)) return false;
    if (inbound && !this.#initDone) return false;
    if (this.#bans.isBannedId(node.id)) return false;
    if (node.ip !== undefined && this.#bans.isBannedIp(node.ip)) return false;
    return this.#buckets.add(node, inbound);
  }

  /** Emits a completed change; a throwing listener never breaks the table. */
  #emit(change: TableChange): void {
    const onError = (err: unknown): void =>
      this.#logger.error('table event listener threw', { err });
    if (change.kind === 'added') {
      safeEmit(this.#emitter, 'node:added', { node: change.node, bucket: change.bucket }, onError);
    } else {
      const { node, bucket, reason } = change;
      safeEmit(this.#emitter, 'node:removed', { node, bucket, reason }, onError);
    }
  }
}

function entryInfo(e: TableEntry, bucket: number): TableNodeInfo {
  return {
    node: e.node,
    bucket,
    addedAtMs: e.addedToTableAtMs,
    addedToBucketAtMs: e.addedToBucketAtMs ?? e.addedToTableAtMs,
    lastPongMs: e.lastPongMs,
    failedRevalidations: e.failedRevalidations,
    findnodeFailures: e.findFails,
    livenessChecks: e.livenessChecks,
    isValidatedLive: e.isValidatedLive,
    revalidation: e.revalList?.name ?? 'fast',
  };
}

function checkNode(field: string, node: unknown): Node {
  if (!(node instanceof Node)) throw new TypeError(`${field}: expected Node, got ${typeof node}`);
  return node;
}
