/**
 * A bounded list of the nodes closest to a target, nearest first (geth `p2p/discover/table.go`
 * `nodesByDistance`).
 * @module
 */
import type { Node } from '@ethp2p/enode';
import { distCmp } from '@ethp2p/enode';

/**
 * The `limit` nodes closest to `target` by XOR distance among those pushed, nearest first.
 * It does not deduplicate: callers push each node once. Not shared; the owner mutates it
 * synchronously.
 */
export class NodesByDistance {
  readonly #target: Uint8Array;
  readonly #limit: number;
  readonly #entries: Node[] = [];

  constructor(target: Uint8Array, limit: number) {
    this.#target = target;
    this.#limit = limit;
  }

  /** The kept nodes, nearest first. The array is live; copy it before handing it out. */
  get entries(): readonly Node[] {
    return this.#entries;
  }

  /**
   * Inserts `node` at its distance rank (after equally distant ones) and drops the farthest
   * node beyond the limit. Returns whether `node` was kept.
   */
  push(node: Node): boolean {
    const last = this.#entries.length >= this.#limit ? this.#entries.at(-1) : undefined;
    // Full, and not closer than the farthest kept: the common case once the list has filled.
    if (this.#limit === 0 || (last !== undefined && distCmp(this.#target, last.id, node.id) <= 0)) {
      return false;
    }
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.#entries[mid] as Node;
      if (distCmp(this.#target, other.id, node.id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.#limit) return false;
    this.#entries.splice(lo, 0, node);
    if (this.#entries.length > this.#limit) this.#entries.pop();
    return true;
  }
}
