/**
 * A bounded, synchronous cache of recent bonds (node ID and IP → time of the last matching Pong),
 * so a FindNode or ENRRequest that follows its sender's Pong at once is answered even before the
 * node database has stored that Pong (classic-level writes on a thread pool). The database stays
 * the source of truth: a miss falls back to it.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** Bonds the cache remembers; the least recently written is forgotten first. */
export const BOND_CACHE_SIZE = 4096;

/**
 * `id|ip` → last pong time, at most `limit` entries. Owned by the service: written only by the
 * receive path when a Pong matches; synchronous.
 */
export class BondCache {
  readonly #limit: number;
  readonly #times = new Map<string, number>();

  /** @throws {RangeError} unless `limit` is a positive integer */
  constructor(limit: number = BOND_CACHE_SIZE) {
    this.#limit = checkPositiveInt('limit', limit);
  }

  /** How many bonds are cached. */
  get size(): number {
    return this.#times.size;
  }

  /** Records a pong from `key` (`<id hex>|<ip>`) at `timeMs`, forgetting the oldest beyond the limit. */
  set(key: string, timeMs: number): void {
    this.#times.delete(key);
    this.#times.set(key, timeMs);
    if (this.#times.size > this.#limit) {
      const oldest = this.#times.keys().next();
      if (oldest.done !== true) this.#times.delete(oldest.value);
    }
  }

  /** The cached pong time of `key`, or `undefined`. */
  get(key: string): number | undefined {
    return this.#times.get(key);
  }
}

/** The cache key of (`idHex`, `ip`). */
export function bondKey(idHex: string, ip: string): string {
  return `${idHex}|${ip}`;
}
