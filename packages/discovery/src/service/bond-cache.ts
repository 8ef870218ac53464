/**
 * A bounded, synchronous cache of recent bonds (node ID and IP → time of the last matching Pong),
 * so a FindNode or ENRRequest that follows its sender's Pong at once is answered even before the
 * node database has stored that Pong (classic-level writes on a thread pool). The database stays
 * the source of truth: a miss falls back to it.
 * @module
 */
import { BoundedMap } from './bounded-map.ts';
import { EndpointMap } from './endpoint-map.ts';

/** Node IDs the cache remembers bonds of; the least recently written is forgotten first. */
export const BOND_CACHE_SIZE = 4096;

/**
 * (node ID, IP) → last pong time, for at most `limit` node IDs. Owned by the service: written
 * only by the receive path when a Pong matches; synchronous.
 */
export class BondCache {
  readonly #times: EndpointMap<number>;
  /** IP → the latest pong time of any node there; at most `limit` IPs. */
  readonly #byIp: BoundedMap<string, number>;

  /** @throws {RangeError} unless `limit` is a positive integer */
  constructor(limit: number = BOND_CACHE_SIZE) {
    this.#times = new EndpointMap(limit);
    this.#byIp = new BoundedMap(limit);
  }

  /** How many node IDs have a cached bond. */
  get size(): number {
    return this.#times.size;
  }

  /** Records a pong from (`idHex`, `ip`) at `timeMs`, forgetting the oldest beyond the limit. */
  set(idHex: string, ip: string, timeMs: number): void {
    this.#times.set(idHex, ip, timeMs);
    this.#byIp.set(ip, timeMs);
  }

  /**
   * The latest cached pong time of any node at `ip`, or `undefined`: before a request's sender
   * is recovered, a hint that it is bonded (nothing more: any node at that IP may have sent it).
   */
  latestAt(ip: string): number | undefined {
    return this.#byIp.get(ip);
  }

  /** The cached pong time of (`idHex`, `ip`), or `undefined`. */
  get(idHex: string, ip: string): number | undefined {
    return this.#times.get(idHex, ip);
  }
}

/** The key of (`idHex`, `ip`) where one string must name an endpoint (the ping-back limiter). */
export function bondKey(idHex: string, ip: string): string {
  return `${idHex}|${ip}`;
}
