/**
 * Random-seek sampling of live nodes for table seeding (go-ethereum `QuerySeeds`).
 * @module
 */

import type { Random } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import type { AbstractIterator } from 'abstract-level';
import { SEEDS_SEEKS_PER_NODE } from './constants.ts';
import { isRecordKey, NODE_PREFIX, nodeKey, prefixRange } from './keys.ts';
import type { Level } from './open.ts';

/** What the sampler needs to know about a stored node. */
export interface SeedCandidate {
  readonly id: Uint8Array;
}

/** Parameters of one {@link sampleNodes} call. */
export interface SeedQuery<T extends SeedCandidate> {
  /** At most this many nodes are returned. */
  n: number;
  random: Random;
  /** Never return the node with this ID (the local node). */
  exclude?: Uint8Array | undefined;
  /** Decodes the record stored under `key`; `undefined` if it is bad (it has been dealt with). */
  decode: (key: Uint8Array, value: Uint8Array) => Promise<T | undefined>;
  /** Whether the node qualifies (its last pong is recent enough). */
  accept: (node: T) => Promise<boolean>;
}

/**
 * Up to `n` distinct accepted nodes, found with at most `5n` seeks to random IDs, each taking the
 * first record at or after the random ID. The first byte of the random ID drifts by a random
 * amount below 16 per seek so that small databases are covered, and restarts at 0 when a seek runs
 * off the end (geth).
 */
export async function sampleNodes<T extends SeedCandidate>(
  db: Level,
  q: SeedQuery<T>,
): Promise<T[]> {
  const found: T[] = [];
  const id = new Uint8Array(32);
  const it = db.iterator(prefixRange(NODE_PREFIX));
  try {
    for (let seeks = 0; found.length < q.n && seeks < q.n * SEEDS_SEEKS_PER_NODE; seeks++) {
      const drift = id[0] ?? 0;
      id.set(q.random.bytes(32));
      id[0] = (drift + ((id[0] ?? 0) % 16)) & 0xff;
      it.seek(nodeKey(id));
      const node = await nextRecord(it, q.decode);
      if (node === undefined) {
        id[0] = 0;
        continue;
      }
      if (q.exclude !== undefined && equalBytes(node.id, q.exclude)) continue;
      if (found.some((other) => equalBytes(other.id, node.id))) continue;
      if (await q.accept(node)) found.push(node);
    }
  } finally {
    await it.close();
  }
  return found;
}

type EntryIterator = AbstractIterator<Level, Uint8Array, Uint8Array>;

async function nextRecord<T>(
  it: EntryIterator,
  decode: (key: Uint8Array, value: Uint8Array) => Promise<T | undefined>,
): Promise<T | undefined> {
  for (;;) {
    const entry = await it.next();
    if (entry === undefined) return undefined;
    const [key, value] = entry;
    if (!isRecordKey(key)) continue;
    const node = await decode(key, value);
    if (node !== undefined) return node;
  }
}
