/**
 * One expiry pass over the node keyspace (go-ethereum `expireNodes`, extended to endpoints that
 * pinged us and never answered).
 * @module
 */
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { Level } from './backend.ts';
import { NODE_EXPIRATION_MS } from './constants.ts';
import {
  FIELD,
  NODE_PREFIX,
  nodeIdPrefix,
  nodeItemKey,
  prefixRange,
  splitNodeItemKey,
  splitNodeKey,
} from './keys.ts';
import { decodeVarint } from './varint.ts';

/** The times one (ID, IP) endpoint holds, in Unix seconds (0: none). */
interface Endpoint {
  readonly ip: Uint8Array;
  ping: bigint;
  pong: bigint;
  /** Whether a pong field exists (a garbage one reads as time 0, and is expired like geth). */
  hasPong: boolean;
}

/**
 * Deletes, at `nowMs`, with `threshold` = now − {@link NODE_EXPIRATION_MS}:
 * - the per-IP fields of every (ID, IP) whose last pong is older than `threshold` (geth), and of
 *   every (ID, IP) that never sent a pong and whose last ping is older (a pinger that never
 *   answered our ping back: geth keeps those forever, so any key could grow the database);
 * - everything about a node whose youngest pong is older than `threshold` (geth), or that never
 *   sent a pong and whose youngest ping is older.
 * Nodes with neither pong nor ping (a record alone) are kept. A garbage time counts as 0.
 * @returns how many nodes were removed
 */
export async function expireNodes(db: Level, nowMs: number): Promise<number> {
  const threshold = BigInt(Math.floor((nowMs - NODE_EXPIRATION_MS) / 1000));
  const doomed: { gte: Uint8Array; lt?: Uint8Array }[] = [];
  let removed = 0;
  let current: Uint8Array | undefined;
  let endpoints = new Map<string, Endpoint>();
  const finishNode = (): void => {
    if (current === undefined) return;
    let youngestPong = 0n;
    let youngestPing = 0n;
    let anyPong = false;
    for (const e of endpoints.values()) {
      if (e.pong > youngestPong) youngestPong = e.pong;
      if (e.ping > youngestPing) youngestPing = e.ping;
      anyPong ||= e.hasPong;
    }
    const stale =
      youngestPong > 0n
        ? youngestPong < threshold
        : !anyPong && youngestPing > 0n && youngestPing < threshold;
    if (stale) {
      doomed.push(prefixRange(nodeIdPrefix(current)));
      removed++;
    } else {
      for (const e of endpoints.values()) {
        const expired = e.hasPong ? e.pong < threshold : e.ping > 0n && e.ping < threshold;
        if (expired) doomed.push(prefixRange(nodeItemKey(current, e.ip, '')));
      }
    }
    endpoints = new Map();
  };
  for await (const [key, value] of db.iterator(prefixRange(NODE_PREFIX))) {
    const split = splitNodeKey(key);
    if (split === undefined) continue;
    if (current === undefined || !equalBytes(split.id, current)) {
      finishNode();
      current = Uint8Array.from(split.id);
    }
    const item = splitNodeItemKey(key);
    if (item === undefined || (item.field !== FIELD.lastPong && item.field !== FIELD.lastPing)) {
      continue;
    }
    const ipHex = bytesToHex(item.ip);
    let e = endpoints.get(ipHex);
    if (e === undefined) {
      e = { ip: Uint8Array.from(item.ip), ping: 0n, pong: 0n, hasPong: false };
      endpoints.set(ipHex, e);
    }
    const time = decodeVarint(value) ?? 0n;
    if (item.field === FIELD.lastPong) {
      e.pong = time;
      e.hasPong = true;
    } else {
      e.ping = time;
    }
  }
  finishNode();
  for (const range of doomed) await db.clear(range);
  return removed;
}
