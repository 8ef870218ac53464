/**
 * A bounded set of hashes a peer is known to have, so nothing is sent to it twice (geth
 * `knownCache`). Full, it forgets its oldest entries first.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';

/** A set of 32-byte hashes holding at most `capacity` of them, oldest evicted first. */
export class KnownSet {
  readonly capacity: number;
  // A Set iterates in insertion order, so its first key is the oldest.
  readonly #keys = new Set<string>();

  /** @throws {RangeError} unless `capacity` is a positive integer */
  constructor(capacity: number) {
    this.capacity = checkPositiveInt('capacity', capacity);
  }

  /** How many hashes the set holds. */
  get size(): number {
    return this.#keys.size;
  }

  /** Whether `hash` is in the set. */
  has(hash: Uint8Array): boolean {
    return this.#keys.has(bytesToHex(hash));
  }

  /** Adds `hashes`, evicting the oldest entries to stay within the capacity. */
  add(...hashes: Uint8Array[]): void {
    for (const hash of hashes) {
      const key = bytesToHex(hash);
      // Re-adding refreshes the entry: it becomes the newest.
      this.#keys.delete(key);
      this.#keys.add(key);
    }
    if (this.#keys.size <= this.capacity) return;
    for (const key of this.#keys) {
      this.#keys.delete(key);
      if (this.#keys.size <= this.capacity) break;
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.#keys.clear();
  }
}
