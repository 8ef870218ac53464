/**
 * A map bounded in size that forgets the entry written longest ago: the memo of simulated nodes
 * and the bond cache's index by IP.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** At most `limit` entries; writing a key makes it the newest, and the oldest goes first. */
export class BoundedMap<K, V> {
  readonly #limit: number;
  readonly #map = new Map<K, V>();

  /** @throws {RangeError} unless `limit` is a positive integer */
  constructor(limit: number) {
    this.#limit = checkPositiveInt('limit', limit);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** Writes `value` for `key` as the newest entry, forgetting the oldest beyond the limit. */
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#limit) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
  }
}
