/**
 * A first-in first-out queue with O(1) push and shift (an array and a head index, compacted
 * when half of it is consumed).
 * @module
 */

/** A FIFO queue of `T`. */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Items in the queue. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, without removing it. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** The `i`-th item from the newest backwards (0 = newest). */
  fromEnd(i: number): T | undefined {
    const at = this.#items.length - 1 - i;
    return at >= this.#head ? this.#items[at] : undefined;
  }
}
