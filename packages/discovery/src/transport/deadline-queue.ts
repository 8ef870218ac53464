/**
 * A binary min-heap of entries ordered by deadline, with lazy removal: entries whose `live` flag
 * went false are skipped when they reach the top, and the heap is rebuilt once dead entries
 * outnumber live ones, so its size stays within a constant factor of the live count.
 * @module
 */

/** What a {@link DeadlineQueue} holds. */
export interface Deadlined {
  readonly deadline: number;
  /** Order of registration; breaks ties so equal deadlines expire first-in first-out. */
  readonly seq: number;
  /** False once the entry was settled; it is then dropped lazily. */
  readonly live: boolean;
}

/** A min-heap of {@link Deadlined} entries. */
export class DeadlineQueue<T extends Deadlined> {
  #heap: T[] = [];

  /** Heap slots in use, live or dead. */
  get size(): number {
    return this.#heap.length;
  }

  /** Adds an entry in O(log n). */
  push(entry: T): void {
    this.#heap.push(entry);
    this.#up(this.#heap.length - 1);
  }

  /** The live entry with the earliest deadline, dropping dead ones on the way. */
  peek(): T | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.live) return top;
      this.#popTop();
    }
  }

  /** Removes and returns the earliest live entry. */
  pop(): T | undefined {
    const top = this.peek();
    if (top !== undefined) this.#popTop();
    return top;
  }

  /** Rebuilds the heap from its live entries if dead ones outnumber them (amortised O(1)). */
  compact(liveCount: number): void {
    if (this.#heap.length <= 2 * liveCount + 64) return;
    const live = this.#heap.filter((e) => e.live);
    this.#heap = [];
    for (const e of live) this.push(e);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#heap = [];
  }

  #popTop(): void {
    const last = this.#heap.pop();
    if (last === undefined || this.#heap.length === 0) return;
    this.#heap[0] = last;
    this.#down(0);
  }

  #less(i: number, j: number): boolean {
    const a = this.#heap[i];
    const b = this.#heap[j];
    if (a === undefined || b === undefined) return false;
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#heap[i];
    const b = this.#heap[j];
    if (a === undefined || b === undefined) return;
    this.#heap[i] = b;
    this.#heap[j] = a;
  }

  #up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (this.#less(left, best)) best = left;
      if (this.#less(right, best)) best = right;
      if (best === i) return;
      this.#swap(i, best);
      i = best;
    }
  }
}
