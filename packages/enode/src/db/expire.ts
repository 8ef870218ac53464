/**
 * One expiry pass over the node keyspace (go-ethereum `expireNodes`).
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
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
import type { Level } from './open.ts';
import { decodeVarint } from './varint.ts';

/**
 * Deletes the per-IP fields of every (ID, IP) whose last pong is older than
 * {@link NODE_EXPIRATION_MS} at `nowMs`, and everything about a node whose youngest pong is that
 * old. Nodes with no pong at all are kept. A garbage pong value counts as time 0.
 * @returns how many nodes were removed
 */
export async function expireNodes(db: Level, nowMs: number): Promise<number> {
  const threshold = BigInt(Math.floor((nowMs - NODE_EXPIRATION_MS) / 1000));
  const doomed: { gte: Uint8Array; lt?: Uint8Array }[] = [];
  let removed = 0;
  let current: Uint8Array | undefined;
  let youngest = 0n;
  const finishNode = (): void => {
    if (current !== undefined && youngest > 0n && youngest < threshold) {
      doomed.push(prefixRange(nodeIdPrefix(current)));
      removed++;
    }
    youngest = 0n;
  };
  for await (const [key, value] of db.iterator(prefixRange(NODE_PREFIX))) {
    const split = splitNodeKey(key);
    if (split === undefined) continue;
    if (current === undefined || !equalBytes(split.id, current)) {
      finishNode();
      current = Uint8Array.from(split.id);
    }
    const item = splitNodeItemKey(key);
    if (item?.field !== FIELD.lastPong) continue;
    const time = decodeVarint(value) ?? 0n;
    if (time > youngest) youngest = time;
    if (time < threshold) doomed.push(prefixRange(nodeItemKey(item.id, item.ip, '')));
  }
  finishNode();
  for (const range of doomed) await db.clear(range);
  return removed;
}
