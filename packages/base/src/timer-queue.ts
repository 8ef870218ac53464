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
    const entry = this.#heap[start] as QueuedTimer;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, this.#heap[parent] as QueuedTimer)) break;
      this.#put(i, this.#heap[parent] as QueuedTimer);
      i = parent;
    }
    this.#put(i, entry);
  }

  #down(start: number): void {
    const heap = this.#heap;
    const entry = heap[start] as QueuedTimer;
    let i = start;
    for (let child = 2 * i + 1; child < heap.length; child = 2 * i + 1) {
      const right = heap[child + 1];
      if (right !== undefined && before(right, heap[child] as QueuedTimer)) child++;
      if (!before(heap[child] as QueuedTimer, entry)) break;
      this.#put(i, heap[child] as QueuedTimer);
      i = child;
    }
    this.#put(i, entry);
  }

  /** Stores `entry` at `slot`, telling it where it is. */
  #put(slot: number, entry: QueuedTimer): void {
    this.#heap[slot] = entry;
    entry.slot = slot;
  }
}
