/**
 * What every thread of a sharded simulation derives alike from the seed alone: the shard that owns
 * a node, each node's own random source (hence its keys, its bootnodes and its behaviour, whatever
 * shard runs it), and the node behind a simulated IP address.
 * @module
 */
import { type Random, seededRandom } from '@ethp2p/base';
import type { Bootstrap } from './options.ts';

/** The shard (worker) that runs node `index`: nodes are dealt round-robin. */
export function shardOf(index: number, workers: number): number {
  return index % workers;
}

/** The indices of the nodes shard `shard` of `workers` runs, ascending. */
export function shardIndices(shard: number, workers: number, nodes: number): number[] {
  const out: number[] = [];
  for (let index = shard; index < nodes; index += workers) out.push(index);
  return out;
}

/**
 * Node `index`'s own random source for `seed`: its key is drawn first, then its bootnodes, then
 * everything its service draws. Distinct indices get distinct states (a bijective mix).
 */
export function nodeRandom(seed: number, index: number): Random {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return seededRandom(h >>> 0);
}

/**
 * The bootnodes of node `index`, drawn from its random source: node 0 for `one`, else `count`
 * distinct nodes among the earlier ones.
 */
export function bootnodeIndices(bootstrap: Bootstrap, index: number, random: Random): number[] {
  if (index === 0) return [];
  if (bootstrap.kind === 'one') return [0];
  const picked = new Set<number>();
  const want = Math.min(bootstrap.count, index);
  while (picked.size < want) picked.add(random.intn(index));
  return [...picked];
}

const SIM_IP = /^10\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The node index behind a simulated IP (the inverse of `simIp`), or -1 for any other address. */
export function simIndexOf(address: string): number {
  const m = SIM_IP.exec(address);
  if (m === null) return -1;
  return ((Number(m[1]) << 16) | (Number(m[2]) << 8) | Number(m[3])) - 1;
}
