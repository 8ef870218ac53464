/**
 * A bounded map keyed by endpoint, (node ID, IP), for the bond cache and the in-memory node
 * store. It is keyed by the ID's hex alone, with the IPs of one ID in a short list: the ID's hex
 * is usually a string the caller already holds (`Node.idHex`, the simulation memo's), whose hash
 * V8 keeps, where a `<id>|<ip>` key would be a new string to build and hash on every lookup and
 * a copy to keep per endpoint (a fifth of a simulated node's heap).
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** IPs kept per node ID; past it the one least recently written is forgotten. */
export const MAX_IPS_PER_ID = 4;

/** One endpoint of an ID; the ID's endpoints form a list, the most recently written first. */
interface Slot<V> {
  readonly ip: string;
  value: V;
  next: Slot<V> | undefined;
}

/**
 * (ID hex, IP) → `V`, at most `limit` IDs. IDs leave in the order they were last written
 * (`set`, or `upsert` with `touch`), all of their IPs with them. The caller passes IPs in one
 * canonical form.
 */
export class EndpointMap<V> {
  readonly #limit: number;
  /** ID hex → its first endpoint; one object per endpoint, none per ID. */
  readonly #ids = new Map<string, Slot<V>>();

  /** @throws {RangeError} unless `limit` is a positive integer */
  constructor(limit: number) {
    this.#limit = checkPositiveInt('limit', limit);
  }

  /** How many IDs it holds. */
  get size(): number {
    return this.#ids.size;
  }

  /** The value of (`idHex`, `ip`), or `undefined`. */
  get(idHex: string, ip: string): V | undefined {
    return this.#slot(idHex, ip, false)?.value;
  }

  /** Writes `value` for (`idHex`, `ip`) and makes the ID the most recently written. */
  set(idHex: string, ip: string, value: V): void {
    const slot = this.#slot(idHex, ip, true);
    if (slot === undefined) this.#add(idHex, ip, value);
    else slot.value = value;
  }

  /**
   * The value of (`idHex`, `ip`), made by `make` if there is none; `touch` makes the ID the
   * most recently written (a new endpoint always does).
   */
  upsert(idHex: string, ip: string, make: () => V, touch: boolean): V {
    const slot = this.#slot(idHex, ip, touch);
    if (slot !== undefined) return slot.value;
    const value = make();
    this.#add(idHex, ip, value);
    return value;
  }

  /**
   * The endpoint's slot; with `touch` it moves to the front of its ID's list and the ID to the
   * back of the eviction order.
   */
  #slot(idHex: string, ip: string, touch: boolean): Slot<V> | undefined {
    const first = this.#ids.get(idHex);
    let before: Slot<V> | undefined;
    let slot = first;
    while (slot !== undefined && slot.ip !== ip) {
      before = slot;
      slot = slot.next;
    }
    if (slot === undefined || first === undefined || !touch) return slot;
    this.#ids.delete(idHex);
    if (before !== undefined) {
      before.next = slot.next;
      slot.next = first;
    }
    this.#ids.set(idHex, slot);
    return slot;
  }

  #add(idHex: string, ip: string, value: V): void {
    const first = this.#ids.get(idHex);
    if (first !== undefined) this.#ids.delete(idHex);
    const slot: Slot<V> = { ip, value, next: first };
    // Past MAX_IPS_PER_ID, the last (least recently written) IP is cut off.
    let last = slot;
    for (let n = 1; last.next !== undefined; n++) {
      if (n === MAX_IPS_PER_ID) {
        last.next = undefined;
        break;
      }
      last = last.next;
    }
    this.#ids.set(idHex, slot);
    if (this.#ids.size > this.#limit) {
      const oldest = this.#ids.keys().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }
}
