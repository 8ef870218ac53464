/**
 * A fixed-size ring: the newest `capacity` items, oldest first. Memory never grows past it.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** The last `capacity` items pushed. */
export class Ring<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #start = 0;

  /** @throws {RangeError} unless `capacity` is a positive integer */
  constructor(capacity: number) {
    this.#capacity = checkPositiveInt('capacity', capacity);
  }

  get size(): number {
    return this.#items.length;
  }

  /** Adds `item`, dropping the oldest one when full. */
  push(item: T): void {
    if (this.#items.length < this.#capacity) {
      this.#items.push(item);
      return;
    }
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.#capacity;
  }

  /** The items, oldest first (a copy). */
  toArray(): T[] {
    return [...this.#items.slice(this.#start), ...this.#items.slice(0, this.#start)];
  }
}
