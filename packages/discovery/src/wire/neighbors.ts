/**
 * Splitting a FindNode answer into Neighbors packets that fit in 1280 bytes.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';
import { MAX_NEIGHBORS_PER_PACKET } from './constants.ts';

/**
 * Splits nodes into Neighbors-sized chunks (geth sends 16 closest as 12 + 4). An empty input
 * gives one empty chunk, since geth answers a FindNode with an empty Neighbors too.
 * @throws {RangeError} unless `size` is a positive integer
 */
export function chunkNeighbors<T>(
  nodes: readonly T[],
  size: number = MAX_NEIGHBORS_PER_PACKET,
): T[][] {
  checkPositiveInt('size', size);
  if (nodes.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < nodes.length; i += size) out.push(nodes.slice(i, i + size));
  return out;
}
