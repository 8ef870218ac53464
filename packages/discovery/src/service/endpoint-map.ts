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

interface Slot<V> {
  readonly ip: string;
  value: V;
}

/**
 * (ID hex, IP) → `V`, at most `limit` IDs. IDs leave in the order they were last written
 * (`set`, or `upsert` with `touch`), all of their IPs with them. The caller passes IPs in one
 * canonical form.
 */
export class EndpointMap<V> {
  readonly #limit: number;
  /** ID hex → its endpoints, the most recently written first. */
  readonly #ids = new Map<string, Slot<V>[]>();

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
    const slots = this.#ids.get(idHex);
    if (slots === undefined) return undefined;
    for (const slot of slots) if (slot.ip === ip) return slot.value;
    return undefined;
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

  /** The slot of the endpoint, moved to the front of its ID's list (and the ID to the back of the order) with `touch`. */
  #slot(idHex: string, ip: string, touch: boolean): Slot<V> | undefined {
    const slots = this.#ids.get(idHex);
    if (slots === undefined) return undefined;
    const i = slots.findIndex((s) => s.ip === ip);
    if (i < 0) return undefined;
    const slot = slots[i] as Slot<V>;
    if (touch) {
      if (i > 0) {
        slots.splice(i, 1);
        slots.unshift(slot);
      }
      this.#ids.delete(idHex);
      this.#ids.set(idHex, slots);
    }
    return slot;
  }

  #add(idHex: string, ip: string, value: V): void {
    let slots = this.#ids.get(idHex);
    // A literal of one: the common case, one IP per ID, holds no spare capacity.
    if (slots === undefined) slots = [{ ip, value }];
    else {
      this.#ids.delete(idHex);
      slots.unshift({ ip, value });
      if (slots.length > MAX_IPS_PER_ID) slots.pop();
    }
    this.#ids.set(idHex, slots);
    if (this.#ids.size > this.#limit) {
      const oldest = this.#ids.keys().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
  }
}
