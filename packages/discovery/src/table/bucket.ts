/**
 * The pieces of the Kademlia table: a table entry with its liveness metadata, a bucket of
 * entries and replacements, and the per-subnet IP limits shared by the buckets and the table
 * (geth `p2p/discover/table.go` `bucket`, `node.go` `tableNode`). Internal to the table, which
 * owns every instance and changes it only synchronously.
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { logDistance } from '@ethp2p/enode';
import { DistinctNetSet, isLan, isUnspecified, parseIp } from '../netutil.ts';
import {
  BUCKET_IP_LIMIT,
  BUCKET_MIN_DISTANCE,
  BUCKET_SUBNET_BITS,
  TABLE_IP_LIMIT,
  TABLE_SUBNET_BITS,
} from './constants.ts';
import type { RevalidationList } from './revalidation.ts';

/** A node in the table (or in a replacement list) and what the table knows about it. */
export class TableEntry {
  /** The newest accepted record of the node. */
  node: Node;
  /** When the node entered the table or a replacement list, in clock ms. */
  readonly addedToTableAtMs: number;
  /** When the node became a bucket entry, in clock ms; `undefined` while a replacement. */
  addedToBucketAtMs: number | undefined = undefined;
  /** Successful revalidations, divided by 3 on each failure (geth `livenessChecks`). */
  livenessChecks = 0;
  /** Whether the node has answered a revalidation ping since its endpoint last changed. */
  isValidatedLive = false;
  /**
   * Consecutive failed findnode queries: the count itself when the table has no database, else
   * a copy of the database's count as of the last query the table tracked.
   */
  findFails = 0;
  /** When the node last answered a revalidation ping, in clock ms; `undefined` before that. */
  lastPongMs: number | undefined = undefined;
  /** Revalidation pings without an answer since the last one answered. */
  failedRevalidations = 0;
  /** The revalidation list holding the entry; `undefined` for replacements and removed entries. */
  revalList: RevalidationList | undefined = undefined;

  constructor(node: Node, nowMs: number) {
    this.node = node;
    this.addedToTableAtMs = nowMs;
  }
}

/** One k-bucket: up to BUCKET_SIZE entries in insertion order, and replacements newest first. */
export class Bucket {
  readonly index: number;
  readonly entries: TableEntry[] = [];
  readonly replacements: TableEntry[] = [];
  /** IPs of entries and replacements, at most BUCKET_IP_LIMIT per subnet (LAN not counted). */
  readonly ips: DistinctNetSet = new DistinctNetSet({
    subnetBits: BUCKET_SUBNET_BITS,
    limit: BUCKET_IP_LIMIT,
  });

  constructor(index: number) {
    this.index = index;
  }
}

/** The bucket index of `id` in the table of `selfId` (geth `bucketAtDistance`). */
export function bucketIndex(selfId: Uint8Array, id: Uint8Array): number {
  return bucketAtDistance(logDistance(selfId, id));
}

/** The bucket index of the log distance `d` (geth `bucketAtDistance`). */
export function bucketAtDistance(d: number): number {
  return d <= BUCKET_MIN_DISTANCE ? 0 : d - BUCKET_MIN_DISTANCE - 1;
}

/** The position of the node `id` in `list`, or -1. */
export function indexOfId(list: readonly TableEntry[], id: Uint8Array): number {
  return list.findIndex((e) => equalBytes(e.node.id, id));
}

/**
 * Whether a node has an endpoint the table can use: an IP that is not unspecified and a UDP port
 * other than 0. Nodes without one are never added (geth `addIP`, `nodeFromRPC`).
 */
export function hasUsableEndpoint(node: Node): node is Node & { ip: string; udp: number } {
  const { ip, udp } = node;
  if (ip === undefined || udp === undefined || udp === 0) return false;
  return parseIp(ip) !== undefined && !isUnspecified(ip);
}

/**
 * The table-wide and per-bucket subnet limits (geth `Table.addIP`/`removeIP`). LAN addresses
 * (loopback, private, link-local) are exempt and never counted.
 */
export class IpLimits {
  readonly #table = new DistinctNetSet({ subnetBits: TABLE_SUBNET_BITS, limit: TABLE_IP_LIMIT });

  /** Counts `ip` in the table and in `bucket`; returns false (counting nothing) if over a limit. */
  add(bucket: Bucket, ip: string): boolean {
    if (isLan(ip)) return true;
    if (!this.#table.add(ip)) return false;
    if (!bucket.ips.add(ip)) {
      this.#table.remove(ip);
      return false;
    }
    return true;
  }

  /** Stops counting `ip` in the table and in `bucket`. */
  remove(bucket: Bucket, ip: string): void {
    if (isLan(ip)) return;
    this.#table.remove(ip);
    bucket.ips.remove(ip);
  }
}
