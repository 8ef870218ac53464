/**
 * The bound on endpoints that pinged us and never answered our ping back: any key can ping, so
 * without a bound each new key would add an entry (geth keeps them forever). The newest
 * {@link MAX_UNBONDED_ENDPOINTS} are remembered; an older one is forgotten unless it has bonded
 * since. The expirer also drops those older than 24 h, across restarts.
 * @module
 */
import { hexToBytes } from '@ethp2p/crypto';

/**
 * Most (ID, IP) endpoints remembered that pinged us without ever sending a pong: about 60 bytes
 * each on disk and 200 in this index, so at most about 2.6 MB in all.
 */
export const MAX_UNBONDED_ENDPOINTS = 10_000;

/** An (ID, IP) endpoint: the 32-byte node ID and the 16-byte IP. */
export interface EndpointKey {
  readonly id: Uint8Array;
  readonly ip16: Uint8Array;
}

/**
 * The endpoints seen pinging since the database was opened and not seen ponging, oldest ping
 * first. Owned by one database; it forgets what {@link UnbondedEndpoints.pinged} evicts.
 */
export class UnbondedEndpoints {
  readonly #max: number;
  /** hex(id ‖ ip16), in order of their last ping. */
  readonly #order = new Set<string>();

  constructor(max: number = MAX_UNBONDED_ENDPOINTS) {
    this.#max = max;
  }

  /** How many endpoints are tracked. */
  get size(): number {
    return this.#order.size;
  }

  /**
   * Notes a ping from the endpoint `key` (`endpointHex(id, ip16)`) as the newest. Returns the
   * endpoints beyond the bound, oldest first, now forgotten here: the caller deletes their fields
   * unless they have a pong.
   */
  pinged(key: string): EndpointKey[] {
    this.#order.delete(key);
    this.#order.add(key);
    const evicted: EndpointKey[] = [];
    for (const oldest of this.#order) {
      if (this.#order.size <= this.#max) break;
      this.#order.delete(oldest);
      const bytes = hexToBytes(oldest);
      evicted.push({ id: bytes.subarray(0, 32), ip16: bytes.subarray(32) });
    }
    return evicted;
  }

  /** The endpoint `key` (`endpointHex(id, ip16)`) sent a pong: it is bonded and no longer counted. */
  ponged(key: string): void {
    this.#order.delete(key);
  }
}
