/**
 * The pending timers of a {@link SimulatedClock}: a binary min-heap ordered by due time, then by
 * scheduling order, so timers due at the same instant run first-scheduled first. Each entry knows
 * its slot, so a cancel removes it at once in O(log n) and cancelled timers never linger.
 * @module
 */

/** One scheduled callback. `slot` is its index in the heap, or -1 once it ran or was cancelled. */
export interface QueuedTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  slot: number;
}

function before(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A min-heap of timers with removal by handle. */
export class TimerQueue {
  readonly #heap: QueuedTimer[] = [];
  #seq = 0;

  /** How many timers are queued. */
  get size(): number {
    return this.#heap.length;
  }

  /** The earliest timer, without removing it. */
  peek(): QueuedTimer | undefined {
    return this.#heap[0];
  }

  /** Queues `fn` to run at `at`; returns the entry to pass to {@link remove}. */
  push(at: number, fn: () => void): QueuedTimer {
    const entry: QueuedTimer = { at, seq: this.#seq++, fn, slot: this.#heap.length };
    this.#heap.push(entry);
    this.#up(entry.slot);
    return entry;
  }

  /** Removes and returns the earliest timer. */
  pop(): QueuedTimer | undefined {
    const top = this.#heap[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `entry` if it is still queued; harmless otherwise. */
  remove(entry: QueuedTimer): void {
    const slot = entry.slot;
    if (slot < 0) return;
    entry.slot = -1;
    const last = this.#heap.pop() as QueuedTimer;
    if (slot === this.#heap.length) return;
    this.#heap[slot] = last;
    last.slot = slot;
    this.#down(slot);
    this.#up(last.slot);
  }

  #up(start: number): void {
    const heap = this.#heap;
    const entry = heap[start] as QueuedTimer;
    let i = start;
    while (i > 0) {
      const parentSlot = (i - 1) >> 1;
      const parent = heap[parentSlot] as QueuedTimer;
      if (!before(entry, parent)) break;
      heap[i] = parent;
      parent.slot = i;
      i = parentSlot;
    }
    heap[i] = entry;
    entry.slot = i;
  }

  #down(start: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const entry = heap[start] as QueuedTimer;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right] as QueuedTimer, heap[left] as QueuedTimer)) child = right;
      const smaller = heap[child] as QueuedTimer;
      if (!before(smaller, entry)) break;
      heap[i] = smaller;
      smaller.slot = i;
      i = child;
    }
    heap[i] = entry;
    entry.slot = i;
  }
}
