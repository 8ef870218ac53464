/**
 * The Kademlia node table of Node Discovery v4 (geth `p2p/discover/table.go` at HEAD): 17
 * buckets by log distance to the local node, each with up to 16 entries and 10 replacements,
 * per-subnet IP limits, and liveness revalidation with fast and slow lists
 * (see `revalidation.ts`).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#kademlia-table
 * @module
 */
import { assertBytes, bytesToHex } from '@ethp2p/crypto';
import type { Clock, Logger, Random } from '@ethp2p/enode';
import { defaultLogger, distCmp, Node, systemClock, systemRandom } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import {
  Bucket,
  bucketIndex,
  hasUsableEndpoint,
  IpLimits,
  indexOfId,
  TableEntry,
} from './bucket.ts';
import {
  BUCKET_SIZE,
  MAX_FINDNODE_FAILURES,
  MAX_REPLACEMENTS,
  N_BUCKETS,
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
  TableRemovalReason,
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
  readonly #buckets: readonly Bucket[];
  readonly #byId = new Map<string, TableEntry>();
  readonly #ips = new IpLimits();
  readonly #reval: Revalidation;
  readonly #findFails: FindFails;
  readonly #writes = new Set<Promise<void>>();
  #initDone = false;

  /** @throws {RangeError} unless `selfId` is 32 bytes or `pingIntervalMs` a positive integer */
  constructor(options: TableOptions) {
    assertBytes('selfId', options.selfId, 32);
    const pingMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
    if (!Number.isSafeInteger(pingMs) || pingMs <= 0) {
      throw new RangeError(`pingIntervalMs: expected a positive integer, got ${pingMs}`);
    }
    this.#selfId = Uint8Array.from(options.selfId);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#logger = options.logger ?? defaultLogger;
    this.#db = options.db;
    this.#buckets = Array.from({ length: N_BUCKETS }, (_, i) => new Bucket(i));
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
  }

  /** How many nodes the buckets hold (replacements not counted). */
  get size(): number {
    return this.#byId.size;
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
    return this.#handleAddNode(checkNode('node', node), false);
  }

  /**
   * Adds a node that contacted us itself (a ping we answered and bonded). Rejected until
   * {@link Table.markInitDone} (against table poisoning); a known node accepts any record,
   * even with a lower seq. Returns whether the node was added to a bucket or its entry updated.
   * @throws {TypeError} unless `node` is a `Node`
   */
  addInboundNode(node: Node): boolean {
    return this.#handleAddNode(checkNode('node', node), true);
  }

  /** Removes `node` and promotes a random replacement of its bucket; a no-op if absent. */
  deleteNode(node: Node): void {
    const entry = this.#byId.get(bytesToHex(checkNode('node', node).id));
    if (entry !== undefined) this.#delete(entry, 'deleted');
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
    const fails = await this.#findFails.record(node, success, this.#byId.get(bytesToHex(node.id)));
    const entry = this.#byId.get(bytesToHex(node.id));
    const bucket = this.#bucketOf(node.id);
    if (
      entry !== undefined &&
      fails >= MAX_FINDNODE_FAILURES &&
      bucket.entries.length >= BUCKET_SIZE / 4
    ) {
      this.#delete(entry, 'findnode-failures');
    }
    for (const n of found) this.#handleAddNode(n, false);
  }

  /**
   * The `n` nodes closest to `target` by XOR distance, closest first (geth `findnodeByID`).
   * With `preferLive`, only validated-live nodes are considered if there are any.
   * @throws {RangeError} unless `target` is 32 bytes and `n` a non-negative integer
   */
  closest(target: Uint8Array, n: number, preferLive = false): Node[] {
    assertBytes('target', target, 32);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`n: expected a non-negative integer, got ${n}`);
    }
    let pool = [...this.#byId.values()];
    if (preferLive) {
      const live = pool.filter((e) => e.isValidatedLive);
      if (live.length > 0) pool = live;
    }
    return pool
      .map((e) => e.node)
      .sort((a, b) => distCmp(target, a.id, b.id))
      .slice(0, n);
  }

  /** Every node in the buckets, bucket by bucket. */
  nodes(): Node[] {
    return this.#buckets.flatMap((b) => b.entries.map((e) => e.node));
  }

  /** The table's record of the node `id`, or `undefined` (replacements are not looked up). */
  get(id: Uint8Array): Node | undefined {
    return this.#byId.get(bytesToHex(id))?.node;
  }

  /** Whether the node `id` is in a bucket. */
  has(id: Uint8Array): boolean {
    return this.#byId.has(bytesToHex(id));
  }

  /** What the table knows about the node `id`, or `undefined` if it is not in a bucket. */
  info(id: Uint8Array): TableNodeInfo | undefined {
    const e = this.#byId.get(bytesToHex(id));
    if (e === undefined) return undefined;
    return {
      node: e.node,
      bucket: this.#bucketOf(e.node.id).index,
      addedAtMs: e.addedToTableAtMs,
      livenessChecks: e.livenessChecks,
      isValidatedLive: e.isValidatedLive,
      revalidation: e.revalList?.name ?? 'fast',
    };
  }

  /** A snapshot of every bucket, for diagnostics (geth `TableBuckets`). */
  buckets(): TableBucketSnapshot[] {
    return this.#buckets.map((b) => ({
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
    await Promise.allSettled([...this.#writes, this.#findFails.idle()]);
  }

  #bucketOf(id: Uint8Array): Bucket {
    return this.#buckets[bucketIndex(this.#selfId, id)] as Bucket;
  }

  /** geth `handleAddNode`. */
  #handleAddNode(node: Node, inbound: boolean): boolean {
    if (bytesToHex(node.id) === bytesToHex(this.#selfId)) return false;
    if (inbound && !this.#initDone) return false;
    if (!hasUsableEndpoint(node)) return false;
    const bucket = this.#bucketOf(node.id);
    const existing = this.#byId.get(bytesToHex(node.id));
    if (existing !== undefined) return this.#bump(bucket, existing, node, inbound).updated;
    if (bucket.entries.length >= BUCKET_SIZE) {
      this.#addReplacement(bucket, node);
      return false;
    }
    const r = indexOfId(bucket.replacements, node.id);
    if (r >= 0) this.#dropReplacement(bucket, r);
    if (!this.#ips.add(bucket, node.ip)) return false;
    const entry = new TableEntry(node, this.#clock.now());
    this.#admit(bucket, entry);
    this.#emit(() => this.#emitter.emit('node:added', { node, bucket: bucket.index }));
    return true;
  }

  /** geth `bumpInBucket`: applies a newer (or, inbound, any) record of an entry. */
  #bump(
    bucket: Bucket,
    entry: TableEntry,
    node: Node,
    inbound: boolean,
  ): { updated: boolean; endpointChanged: boolean } {
    const old = entry.node;
    if ((!inbound && node.seq <= old.seq) || !hasUsableEndpoint(node)) {
      return { updated: false, endpointChanged: false };
    }
    const ipChanged = node.ip !== old.ip;
    if (ipChanged && old.ip !== undefined) {
      this.#ips.remove(bucket, old.ip);
      if (!this.#ips.add(bucket, node.ip)) {
        this.#ips.add(bucket, old.ip);
        return { updated: false, endpointChanged: false };
      }
    }
    entry.node = node;
    if (!ipChanged && node.udp === old.udp) return { updated: true, endpointChanged: false };
    this.#reval.endpointChanged(entry);
    return { updated: true, endpointChanged: true };
  }

  #addReplacement(bucket: Bucket, node: Node & { ip: string }): void {
    if (indexOfId(bucket.replacements, node.id) >= 0) return;
    if (!this.#ips.add(bucket, node.ip)) return;
    bucket.replacements.unshift(new TableEntry(node, this.#clock.now()));
    if (bucket.replacements.length > MAX_REPLACEMENTS)
      this.#dropReplacement(bucket, MAX_REPLACEMENTS);
  }

  #dropReplacement(bucket: Bucket, index: number): void {
    const [gone] = bucket.replacements.splice(index, 1);
    if (gone?.node.ip !== undefined) this.#ips.remove(bucket, gone.node.ip);
  }

  /** Makes `entry` a bucket entry (its IP is already counted) and queues it for revalidation. */
  #admit(bucket: Bucket, entry: TableEntry): void {
    entry.addedToBucketAtMs = this.#clock.now();
    bucket.entries.push(entry);
    this.#byId.set(bytesToHex(entry.node.id), entry);
    this.#reval.nodeAdded(entry);
  }

  /** geth `deleteInBucket`: removes `entry`, then promotes a random replacement. */
  #delete(entry: TableEntry, reason: TableRemovalReason): void {
    const bucket = this.#bucketOf(entry.node.id);
    const i = bucket.entries.indexOf(entry);
    if (i < 0) return;
    bucket.entries.splice(i, 1);
    this.#byId.delete(bytesToHex(entry.node.id));
    if (entry.node.ip !== undefined) this.#ips.remove(bucket, entry.node.ip);
    this.#reval.nodeRemoved(entry);
    let promoted: TableEntry | undefined;
    if (bucket.replacements.length > 0) {
      const r = this.#random.intn(bucket.replacements.length);
      [promoted] = bucket.replacements.splice(r, 1);
      if (promoted !== undefined) this.#admit(bucket, promoted);
    }
    this.#emit(() =>
      this.#emitter.emit('node:removed', { node: entry.node, bucket: bucket.index, reason }),
    );
    if (promoted !== undefined)
      this.#emit(() =>
        this.#emitter.emit('node:added', { node: promoted.node, bucket: bucket.index }),
      );
  }

  /** geth `tableRevalidation.handleResponse`. */
  #applyRevalidation(entry: TableEntry, result: RevalidationResult): void {
    if (entry.revalList === undefined) return; // left the table while being checked
    if (!result.responded) {
      entry.livenessChecks = Math.floor(entry.livenessChecks / 3);
      if (entry.livenessChecks <= 0) this.#delete(entry, 'unresponsive');
      else this.#reval.moveTo(this.#reval.fast, entry);
    } else {
      entry.livenessChecks++;
      entry.isValidatedLive = true;
      const bucket = this.#bucketOf(entry.node.id);
      const bumped =
        result.newRecord === undefined
          ? undefined
          : this.#bump(bucket, entry, result.newRecord, false);
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
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  /** Emits after the change is complete; a throwing listener never breaks the table. */
  #emit(emit: () => void): void {
    try {
      emit();
    } catch (err) {
      this.#logger.error('table event listener threw', { err });
    }
  }
}

function checkNode(field: string, node: unknown): Node {
  if (!(node instanceof Node)) throw new TypeError(`${field}: expected Node, got ${typeof node}`);
  return node;
}
