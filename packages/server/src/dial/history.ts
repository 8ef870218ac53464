/**
 * `DialHistory`: when each recently dialed node may be dialed again (geth `p2p/util.go`
 * `expHeap`, the dial scheduler's `history`).
 * @module
 */

interface Entry {
  readonly key: string;
  readonly expiresAt: number;
}

/**
 * A set of keys (node IDs in hex), each with an expiry time, ordered by expiry in a binary heap.
 * A key is contained until {@link DialHistory.expire} is called with a time at or after its
 * expiry. Adding a key again moves its expiry (later or earlier).
 *
 * Memory is one map entry per key plus one heap entry per `add`; entries replaced by a later
 * `add` of the same key are dropped when they reach the top of the heap. Owned by one component;
 * not safe to share.
 */
export class DialHistory {
  readonly #expiry = new Map<string, number>();
  readonly #heap: Entry[] = [];

  /** How many keys the history holds. */
  get size(): number {
    return this.#expiry.size;
  }

  /**
   * Records `key` until `expiresAt` (ms on the scheduler's clock).
   * @throws {TypeError} on a non-string key; {RangeError} on a time that is not a finite number
   */
  add(key: string, expiresAt: number): void {
    if (typeof key !== 'string') throw new TypeError(`key: expected string, got ${typeof key}`);
    if (!Number.isFinite(expiresAt)) {
      throw new RangeError(`expiresAt: expected a finite number, got ${expiresAt}`);
    }
    this.#expiry.set(key, expiresAt);
    this.#push({ key, expiresAt });
  }

  /** Whether `key` is held (added and not yet expired). */
  contains(key: string): boolean {
    return this.#expiry.has(key);
  }

  /** When `key` expires, or `undefined` if it is not held. */
  expiresAt(key: string): number | undefined {
    return this.#expiry.get(key);
  }

  /** Removes every key whose expiry is at or before `now`; returns how many were removed. */
  expire(now: number): number {
    let removed = 0;
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.expiresAt > now) break;
      this.#pop();
      if (this.#expiry.get(top.key) === top.expiresAt) {
        this.#expiry.delete(top.key);
        removed++;
      }
    }
    return removed;
  }

  /** The earliest expiry of a held key, or `undefined` when the history is empty. */
  nextExpiry(): number | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined) return undefined;
      if (this.#expiry.get(top.key) === top.expiresAt) return top.expiresAt;
      this.#pop(); // replaced by a later add of the same key
    }
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).expiresAt <= entry.expiresAt) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as Entry).expiresAt < (heap[left] as Entry).expiresAt
          ? right
          : left;
      if ((heap[child] as Entry).expiresAt >= last.expiresAt) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = last;
  }
}
