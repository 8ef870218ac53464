/**
 * What the store holds for the last ping and last pong of recently used (ID, IP) endpoints, so
 * a Ping flood does not cost a LevelDB read and write per packet: a repeated read is answered
 * from memory, and a write that would store the second already stored is skipped.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';

/** Endpoints remembered; the least recently used is forgotten first (~150 bytes each). */
export const MAX_CACHED_ENDPOINTS = 10_000;

/** A time field of an endpoint. */
export type TimeField = 'ping' | 'pong';

/** The stored values of one endpoint: Unix seconds, 0 for none, `undefined` when not known. */
interface Known {
  ping: number | undefined;
  pong: number | undefined;
}

/**
 * Known stored times by endpoint key (hex of ID ‖ 16-byte IP). Owned by one database, which
 * writes here whatever it writes to or reads from the store, and forgets what it deletes. A read
 * that started before a deletion is not remembered (the {@link epoch} moved), so a value deleted
 * from the store is never served from here.
 */
export class EndpointTimes {
  readonly #max: number;
  readonly #known = new Map<string, Known>();
  #epoch = 0;

  constructor(max: number = MAX_CACHED_ENDPOINTS) {
    this.#max = max;
  }

  /** Endpoints remembered. */
  get size(): number {
    return this.#known.size;
  }

  /** Moves on every deletion; a read remembers its value only if the epoch has not moved. */
  get epoch(): number {
    return this.#epoch;
  }

  /** The stored seconds of `field` at `key` (0: none), or `undefined` when not known. */
  get(key: string, field: TimeField): number | undefined {
    return this.#known.get(key)?.[field];
  }

  /** Remembers that the store holds `seconds` (0: nothing) in `field` at `key`. */
  set(key: string, field: TimeField, seconds: number): void {
    let known = this.#known.get(key);
    if (known === undefined) known = { ping: undefined, pong: undefined };
    else this.#known.delete(key);
    known[field] = seconds;
    this.#known.set(key, known);
    if (this.#known.size > this.#max) {
      const oldest = this.#known.keys().next();
      if (oldest.done !== true) this.#known.delete(oldest.value);
    }
  }

  /**
   * Remembers a value read from the store, unless a deletion happened since the read began
   * (`epoch` is what {@link epoch} was then) or a write has told us a newer value meanwhile.
   */
  setRead(key: string, field: TimeField, seconds: number, epoch: number): void {
    if (epoch !== this.#epoch || this.get(key, field) !== undefined) return;
    this.set(key, field, seconds);
  }

  /** Forgets `key` (its fields were deleted from the store). */
  forget(key: string): void {
    this.#epoch++;
    this.#known.delete(key);
  }

  /** Forgets every endpoint of the node whose ID is `idHex` (the node was deleted). */
  forgetNode(idHex: string): void {
    this.#epoch++;
    for (const key of this.#known.keys()) {
      if (key.startsWith(idHex)) this.#known.delete(key);
    }
  }

  /** Forgets everything (the store was changed by a sweep that does not say what it deleted). */
  clear(): void {
    this.#epoch++;
    this.#known.clear();
  }
}

/** The key of an endpoint: hex of its node ID ‖ its 16-byte IP. */
export function endpointHex(id: Uint8Array, ip16: Uint8Array): string {
  return bytesToHex(id) + bytesToHex(ip16);
}
