/**
 * The ban list: node IDs and IPs refused until a time, kept in memory for the checks in front
 * of every handshake and datagram, and written through to a {@link BanStore} (the node
 * database) so bans survive a restart.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { type NodeId, nodeIdToHex, type StoredBan } from '@ethp2p/enode';
import { MAX_BANS } from './constants.ts';

/**
 * Where bans are persisted: `NodeDatabase` from `@ethp2p/enode` is one. Writes are best effort
 * (a failure is the store's to count); `bans()` returns the bans in force, expired ones purged
 * and corrupt ones skipped.
 */
export interface BanStore {
  storeBan(
    target:
      | { readonly kind: 'id'; readonly id: Uint8Array }
      | { readonly kind: 'ip'; readonly ip: string },
    untilMs: number,
    reason?: string,
  ): Promise<void>;
  deleteBan(
    target:
      | { readonly kind: 'id'; readonly id: Uint8Array }
      | { readonly kind: 'ip'; readonly ip: string },
  ): Promise<void>;
  bans(): Promise<StoredBan[]>;
}

/** A ban in force: a node ID or an IP, until when, and why. */
export type Ban = StoredBan;

interface Held {
  readonly ban: Ban;
}

/**
 * Bans by node ID (hex) and by IP (canonical text). Expiry is checked on every read, so an
 * expired ban never refuses anything, and is dropped (in memory and in the store) when met.
 * Bounded: past {@link MAX_BANS} per kind, the ban that ends soonest is dropped.
 */
export class BanList {
  readonly #ids = new Map<string, Held>();
  readonly #ips = new Map<string, Held>();
  readonly #store: BanStore | undefined;
  readonly #logger: Logger;
  readonly #max: number;
  /** Store writes in flight, awaited by {@link BanList.flush}. */
  readonly #writes = new Set<Promise<void>>();

  constructor(options: { store?: BanStore; logger: Logger; max?: number }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#max = options.max ?? MAX_BANS;
  }

  /** Loads the store's bans in force (after `now`), keeping any set in memory since. */
  async load(now: number): Promise<number> {
    if (this.#store === undefined) return 0;
    let loaded = 0;
    for (const ban of await this.#store.bans()) {
      if (ban.untilMs <= now) continue;
      const [map, key] = this.#slot(ban);
      if (map.has(key)) continue;
      this.#put(map, key, ban);
      loaded++;
    }
    return loaded;
  }

  /** Bans in force now, by kind. */
  counts(now: number): { readonly ids: number; readonly ips: number } {
    this.#purge(now);
    return { ids: this.#ids.size, ips: this.#ips.size };
  }

  /** Whether any IP ban is held (expired ones included until met): O(1), for the hot path. */
  get hasIpBans(): boolean {
    return this.#ips.size > 0;
  }

  /** Adds or replaces a ban and writes it through to the store. */
  add(ban: Ban): void {
    const [map, key] = this.#slot(ban);
    this.#put(map, key, ban);
    this.#persist(this.#store?.storeBan(target(ban), ban.untilMs, ban.reason));
  }

  /** Removes the ban of the node ID or IP; false if there was none in memory. */
  remove(kind: 'id' | 'ip', key: string, now: number): boolean {
    const map = kind === 'id' ? this.#ids : this.#ips;
    const held = map.get(key);
    map.delete(key);
    if (held !== undefined) this.#persist(this.#store?.deleteBan(target(held.ban)));
    return held !== undefined && held.ban.untilMs > now;
  }

  /** The ban of node `idHex` in force at `now`, if any. */
  id(idHex: string, now: number): Ban | undefined {
    return this.#live(this.#ids, idHex, now);
  }

  /** The ban of `ip` (canonical text) in force at `now`, if any. */
  ip(ip: string, now: number): Ban | undefined {
    return this.#live(this.#ips, ip, now);
  }

  /** Every ban in force at `now`: ID bans, then IP bans, each in order of insertion. */
  list(now: number): Ban[] {
    this.#purge(now);
    return [...this.#ids.values(), ...this.#ips.values()].map((h) => h.ban);
  }

  /** Resolves once every store write made so far has settled. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  #slot(ban: Ban): [Map<string, Held>, string] {
    return ban.kind === 'id' ? [this.#ids, nodeIdToHex(ban.id)] : [this.#ips, ban.ip];
  }

  #put(map: Map<string, Held>, key: string, ban: Ban): void {
    map.delete(key);
    map.set(key, { ban });
    if (map.size <= this.#max) return;
    let soonest: [string, Held] | undefined;
    for (const entry of map) {
      if (soonest === undefined || entry[1].ban.untilMs < soonest[1].ban.untilMs) soonest = entry;
    }
    if (soonest !== undefined) {
      map.delete(soonest[0]);
      this.#persist(this.#store?.deleteBan(target(soonest[1].ban)));
    }
  }

  #live(map: Map<string, Held>, key: string, now: number): Ban | undefined {
    const held = map.get(key);
    if (held === undefined) return undefined;
    if (held.ban.untilMs > now) return held.ban;
    map.delete(key);
    this.#persist(this.#store?.deleteBan(target(held.ban)));
    return undefined;
  }

  #purge(now: number): void {
    for (const map of [this.#ids, this.#ips]) {
      for (const [key, held] of map) {
        if (held.ban.untilMs <= now) this.#live(map, key, now);
      }
    }
  }

  #persist(write: Promise<void> | undefined): void {
    if (write === undefined) return;
    const tracked: Promise<void> = write
      .catch((err: unknown) =>
        this.#logger.debug('ban list: store write failed', { err: String(err) }),
      )
      .finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
  }
}

function target(ban: Ban): { kind: 'id'; id: NodeId } | { kind: 'ip'; ip: string } {
  return ban.kind === 'id' ? { kind: 'id', id: ban.id } : { kind: 'ip', ip: ban.ip };
}
