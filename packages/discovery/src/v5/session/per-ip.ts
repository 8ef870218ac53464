/**
 * The map under both session-layer caches: entries keyed by (node ID, endpoint), with an
 * insertion order (oldest first) and a count per remote IP, and the limits both caches share.
 * @module
 */
import type { Clock } from '@ethp2p/base';

/** The bounds of a session-layer cache. */
export interface BoundedCacheOptions {
  readonly clock: Clock;
  /** Entries at most. */
  readonly capacity: number;
  /** How long an entry lives (idle time for sessions, age for challenges). */
  readonly timeoutMs: number;
  /** Entries per remote IP at most. */
  readonly maxPerIp: number;
  /** IPs the per-IP limit does not apply to. */
  readonly exemptIp: (ip: string) => boolean;
}

/**
 * A map whose entries each belong to an IP, counted per IP. Owned by one cache, synchronous;
 * the cache decides when to check {@link allows} and what to evict.
 */
export class IpLimitedMap<V> {
  readonly #entries = new Map<string, { value: V; ip: string }>();
  readonly #counts = new Map<string, number>();
  readonly #maxPerIp: number;
  readonly #exemptIp: (ip: string) => boolean;

  constructor(options: BoundedCacheOptions) {
    this.#maxPerIp = options.maxPerIp;
    this.#exemptIp = options.exemptIp;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether one more entry for `ip` stays within the per-IP limit. */
  allows(ip: string): boolean {
    return this.#exemptIp(ip) || (this.#counts.get(ip) ?? 0) < this.#maxPerIp;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Adds or replaces `key` as the newest entry. */
  set(key: string, ip: string, value: V): void {
    this.delete(key);
    this.#entries.set(key, { value, ip });
    this.#counts.set(ip, (this.#counts.get(ip) ?? 0) + 1);
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    const n = (this.#counts.get(entry.ip) ?? 0) - 1;
    if (n > 0) this.#counts.set(entry.ip, n);
    else this.#counts.delete(entry.ip);
  }

  /** Entries oldest first, as `[key, value]`. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, { value }] of this.#entries) yield [key, value];
  }
}
