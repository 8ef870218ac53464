/**
 * Lookup recall: how many of the true closest nodes to a target a lookup found. The truth is
 * computed by brute force over every node ID of the simulation.
 * @module
 */
import { distCmp, nodeIdToHex } from '@ethp2p/enode';

/** Nodes a lookup should find: Kademlia k, the bucket size. */
export const RECALL_K = 16;

/**
 * The `k` IDs of `ids` closest to `target` by XOR distance, nearest first, leaving out `exclude`
 * (the node that looks: a lookup never returns itself).
 */
export function closestIds(
  target: Uint8Array,
  ids: readonly Uint8Array[],
  k: number,
  exclude?: Uint8Array,
): Uint8Array[] {
  const best: Uint8Array[] = [];
  for (const id of ids) {
    if (id === exclude) continue;
    if (best.length === k && distCmp(target, id, best[k - 1] as Uint8Array) >= 0) continue;
    let at = best.length;
    while (at > 0 && distCmp(target, id, best[at - 1] as Uint8Array) < 0) at--;
    best.splice(at, 0, id);
    if (best.length > k) best.pop();
  }
  return best;
}

/** The share of `truth` that `found` holds, compared as hex; 1 when `truth` is empty. */
export function recallOf(found: readonly Uint8Array[], truth: readonly Uint8Array[]): number {
  if (truth.length === 0) return 1;
  const seen = new Set(found.map(nodeIdToHex));
  return truth.filter((id) => seen.has(nodeIdToHex(id))).length / truth.length;
}
