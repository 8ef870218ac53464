/**
 * The buckets of the node table and the rules that change them (geth `p2p/discover/table.go`
 * `handleAddNode`, `bumpInBucket`, `addReplacement`, `deleteInBucket`): entries and replacement
 * lists, the ID index and the IP limits. Owned by the table, which calls it synchronously;
 * changes are reported through `onChange` once each one is complete.
 * @module
 */
import type { Clock, Random } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import {
  Bucket,
  bucketIndex,
  hasUsableEndpoint,
  IpLimits,
  indexOfId,
  TableEntry,
} from './bucket.ts';
import { BUCKET_SIZE, MAX_REPLACEMENTS, N_BUCKETS } from './constants.ts';
import type { Revalidation } from './revalidation.ts';
import type { TableRemovalReason } from './types.ts';

/** A completed change of table membership. */
export type TableChange =
  | { readonly kind: 'added'; readonly node: Node; readonly bucket: number }
  | {
      readonly kind: 'removed';
      readonly node: Node;
      readonly bucket: number;
      readonly reason: TableRemovalReason;
    };

/** Options of {@link Buckets}. */
export interface BucketsOptions {
  readonly selfId: Uint8Array;
  readonly clock: Clock;
  readonly random: Random;
  readonly revalidation: Revalidation;
  readonly onChange: (change: TableChange) => void;
}

/** The table's buckets, bounded by construction: N_BUCKETS × (BUCKET_SIZE + MAX_REPLACEMENTS). */
export class Buckets {
  /** The buckets by index. */
  readonly all: readonly Bucket[] = Array.from({ length: N_BUCKETS }, (_, i) => new Bucket(i));
  readonly #selfId: Uint8Array;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #reval: Revalidation;
  readonly #onChange: (change: TableChange) => void;
  /** Bucket entries by hex ID (replacements are not indexed). */
  readonly #byId = new Map<string, TableEntry>();
  readonly #ips = new IpLimits();

  constructor(options: BucketsOptions) {
    this.#selfId = options.selfId;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#reval = options.revalidation;
    this.#onChange = options.onChange;
  }

  /** How many entries the buckets hold. */
  get size(): number {
    return this.#byId.size;
  }

  /** The entry of the node `id`, if it is in a bucket. */
  entry(id: Uint8Array): TableEntry | undefined {
    return this.#byId.get(bytesToHex(id));
  }

  /** The entry of `node`'s ID, if it is in a bucket ({@link Buckets.entry} by its cached hex). */
  entryOf(node: Node): TableEntry | undefined {
    return this.#byId.get(node.idHex);
  }

  /** Every entry, in no particular order. */
  entries(): TableEntry[] {
    return [...this.#byId.values()];
  }

  /** The bucket the node `id` belongs to. */
  bucketOf(id: Uint8Array): Bucket {
    return this.all[bucketIndex(this.#selfId, id)] as Bucket;
  }

  /**
   * Adds `node` to its bucket, updates its entry, or keeps it as a replacement (geth
   * `handleAddNode` after the self and init checks). Returns whether an entry was added or updated.
   */
  add(node: Node, inbound: boolean): boolean {
    if (!hasUsableEndpoint(node)) return false;
    const bucket = this.bucketOf(node.id);
    const existing = this.entryOf(node);
    if (existing !== undefined) return this.bump(bucket, existing, node, inbound).updated;
    if (bucket.entries.length >= BUCKET_SIZE) {
      this.#addReplacement(bucket, node);
      return false;
    }
    const r = indexOfId(bucket.replacements, node.id);
    if (r >= 0) this.#dropReplacement(bucket, r);
    if (!this.#ips.add(bucket, node.ip)) return false;
    const entry = new TableEntry(node, this.#clock.now());
    this.#admit(bucket, entry);
    this.#onChange({ kind: 'added', node, bucket: bucket.index });
    return true;
  }

  /** geth `bumpInBucket`: applies a newer (or, inbound, any) record of an entry. */
  bump(
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
    this.#byId.set(entry.node.idHex, entry);
    this.#reval.nodeAdded(entry);
  }

  /** geth `deleteInBucket`: removes `entry`, then promotes a random replacement. */
  delete(entry: TableEntry, reason: TableRemovalReason): void {
    const bucket = this.bucketOf(entry.node.id);
    const i = bucket.entries.indexOf(entry);
    if (i < 0) return;
    bucket.entries.splice(i, 1);
    this.#byId.delete(entry.node.idHex);
    if (entry.node.ip !== undefined) this.#ips.remove(bucket, entry.node.ip);
    this.#reval.nodeRemoved(entry);
    let promoted: TableEntry | undefined;
    if (bucket.replacements.length > 0) {
      const r = this.#random.intn(bucket.replacements.length);
      [promoted] = bucket.replacements.splice(r, 1);
      if (promoted !== undefined) this.#admit(bucket, promoted);
    }
    this.#onChange({ kind: 'removed', node: entry.node, bucket: bucket.index, reason });
    if (promoted !== undefined) {
      this.#onChange({ kind: 'added', node: promoted.node, bucket: bucket.index });
    }
  }
}
