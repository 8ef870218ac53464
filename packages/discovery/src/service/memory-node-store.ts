/**
 * A lightweight in-memory node store for simulations (issue 18): one object that many simulated
 * nodes share, each through its own view keyed by its node ID, instead of one LevelDB instance
 * per node. A view implements the discovery seam ({@link DiscoveryNodeStore}) and the local seq
 * store of `LocalNode` with plain maps, bounded per node.
 * @module
 */
import { type Clock, type Random, seededRandom, systemClock } from '@ethp2p/base';
import { assertBytes, bytesToHex } from '@ethp2p/crypto';
import { bytesToIp, type LocalSeqStore, type Node, normalizeIp } from '@ethp2p/enode';
import type { DiscoveryNodeStore } from './node-store.ts';

/** Endpoints (node ID, IP) one view keeps by default: bonds and findnode failures. */
export const MEMORY_STORE_MAX_ENDPOINTS = 16_384;

/** Records one view keeps by default (the table's long-lived nodes, future seeds). */
export const MEMORY_STORE_MAX_RECORDS = 4096;

/** Options of {@link MemoryNodeStore}. */
export interface MemoryNodeStoreOptions {
  /** Judges seed age in `querySeeds`. Default the system clock. */
  readonly clock?: Clock;
  /** Samples seeds. Default `seededRandom(1)`, so a simulation repeats. */
  readonly random?: Random;
  /**
   * Endpoints kept per view; past it the one least recently added or bonded is forgotten (its
   * bond, ping time and failure count). Default {@link MEMORY_STORE_MAX_ENDPOINTS}.
   */
  readonly maxEndpoints?: number;
  /** Records kept per view; past it the oldest stored is forgotten. Default {@link MEMORY_STORE_MAX_RECORDS}. */
  readonly maxRecords?: number;
}

/** What one view knows about an endpoint. Times are clock ms; 0 means never. */
interface EndpointState {
  lastPingMs: number;
  lastPongMs: number;
  findFails: number;
}

/** An IP address in text or as 4 or 16 bytes, as `NodeDatabase` takes it. */
type IpAddress = string | Uint8Array;

const UNKNOWN_ENDPOINT: Readonly<EndpointState> = Object.freeze({
  lastPingMs: 0,
  lastPongMs: 0,
  findFails: 0,
});

interface Limits {
  readonly clock: Clock;
  readonly random: Random;
  readonly maxEndpoints: number;
  readonly maxRecords: number;
}

/**
 * The node store many simulated nodes share. Each node takes its view with
 * {@link MemoryNodeStore.view} and passes it as `DiscoveryOptions.db` (and `LocalNode`'s `db`).
 * Unlike `NodeDatabase`, times keep their milliseconds, nothing expires with age and nothing
 * persists; memory stays bounded by the per-view limits.
 * @example
 * ```ts
 * const store = new MemoryNodeStore({ clock });
 * const db = store.view(localNode.id);
 * const node = new DiscoveryV4({ privateKey, localNode, db, socket: net.bind(ip), clock });
 * ```
 */
export class MemoryNodeStore {
  readonly #views = new Map<string, MemoryNodeStoreView>();
  readonly #limits: Limits;

  /** @throws {RangeError} unless the limits are positive integers */
  constructor(options: MemoryNodeStoreOptions = {}) {
    const maxEndpoints = options.maxEndpoints ?? MEMORY_STORE_MAX_ENDPOINTS;
    const maxRecords = options.maxRecords ?? MEMORY_STORE_MAX_RECORDS;
    for (const [field, v] of [
      ['maxEndpoints', maxEndpoints],
      ['maxRecords', maxRecords],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 1) {
        throw new RangeError(`${field}: expected a positive integer, got ${v}`);
      }
    }
    this.#limits = {
      clock: options.clock ?? systemClock,
      random: options.random ?? seededRandom(1),
      maxEndpoints,
      maxRecords,
    };
  }

  /** How many nodes have a view. */
  get size(): number {
    return this.#views.size;
  }

  /**
   * The view of the node `localId` (32 bytes), created on first use; the same view for the same
   * ID. Its `querySeeds` never returns `localId`.
   * @throws {TypeError} unless `localId` is 32 bytes
   */
  view(localId: Uint8Array): MemoryNodeStoreView {
    assertBytes('localId', localId, 32);
    const key = bytesToHex(localId);
    let view = this.#views.get(key);
    if (view === undefined) {
      view = new MemoryNodeStoreView(key, this.#limits);
      this.#views.set(key, view);
    }
    return view;
  }

  /** Forgets everything the node `localId` stored (a simulated node that left for good). */
  delete(localId: Uint8Array): void {
    this.#views.delete(bytesToHex(localId));
  }
}

/**
 * One node's part of a {@link MemoryNodeStore}: what `NodeDatabase` would hold for it. Every
 * method resolves at once. IPs are compared in canonical form (IPv4-mapped IPv6 as IPv4).
 */
export class MemoryNodeStoreView implements DiscoveryNodeStore, LocalSeqStore {
  readonly #self: string;
  readonly #limits: Limits;
  /** `<id hex>|<ip>` → state, least recently added or bonded first. */
  readonly #endpoints = new Map<string, EndpointState>();
  /** ID hex → the record with the highest seq, oldest stored first. */
  readonly #records = new Map<string, Node>();
  readonly #localSeqs = new Map<string, bigint>();

  /** Made by {@link MemoryNodeStore.view}. */
  constructor(selfHex: string, limits: Limits) {
    this.#self = selfHex;
    this.#limits = limits;
  }

  /** How many endpoints and records this view holds. */
  get size(): { readonly endpoints: number; readonly records: number } {
    return { endpoints: this.#endpoints.size, records: this.#records.size };
  }

  async lastPingReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).lastPingMs;
  }

  async updateLastPingReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    this.#endpoint(endpointKey(id, ip), false).lastPingMs = timeMs;
  }

  async lastPongReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).lastPongMs;
  }

  /** Records the bond; the endpoint moves to the back of the eviction order. */
  async updateLastPongReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    this.#endpoint(endpointKey(id, ip), true).lastPongMs = timeMs;
  }

  async findFails(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).findFails;
  }

  async updateFindFails(id: Uint8Array, ip: IpAddress, fails: number): Promise<void> {
    if (!Number.isSafeInteger(fails)) {
      throw new RangeError(`fails: expected an integer, got ${fails}`);
    }
    this.#endpoint(endpointKey(id, ip), false).findFails = fails;
  }

  /** Keeps `node` unless a record with a higher seq is stored. */
  async updateNode(node: Node): Promise<void> {
    const key = bytesToHex(node.id);
    const stored = this.#records.get(key);
    if (stored !== undefined && stored.seq > node.seq) return;
    this.#records.delete(key);
    this.#records.set(key, node);
    if (this.#records.size > this.#limits.maxRecords) {
      const oldest = this.#records.keys().next().value;
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  /**
   * Up to `n` random stored nodes whose last pong, for the IP in their record, is at most
   * `maxAgeMs` old; never this view's own node nor `options.exclude`.
   */
  async querySeeds(
    n: number,
    maxAgeMs: number,
    options: { exclude?: Uint8Array } = {},
  ): Promise<Node[]> {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`n: expected a non-negative integer, got ${n}`);
    }
    const now = this.#limits.clock.now();
    const exclude = options.exclude === undefined ? undefined : bytesToHex(options.exclude);
    const candidates: Node[] = [];
    for (const [key, node] of this.#records) {
      if (key === this.#self || key === exclude || node.ip === undefined) continue;
      const pong = this.#endpoints.get(`${key}|${canonicalIp(node.ip)}`)?.lastPongMs ?? 0;
      if (pong > 0 && now - pong <= maxAgeMs) candidates.push(node);
    }
    const random = this.#limits.random;
    const picked = Math.min(n, candidates.length);
    for (let i = 0; i < picked; i++) {
      const j = i + random.intn(candidates.length - i);
      const chosen = candidates[j] as Node;
      candidates[j] = candidates[i] as Node;
      candidates[i] = chosen;
    }
    return candidates.slice(0, picked);
  }

  async localSeq(id: Uint8Array): Promise<bigint> {
    assertBytes('id', id, 32);
    return this.#localSeqs.get(bytesToHex(id)) ?? 0n;
  }

  async storeLocalSeq(id: Uint8Array, seq: bigint): Promise<void> {
    assertBytes('id', id, 32);
    this.#localSeqs.set(bytesToHex(id), seq);
  }

  /** The state of (`id`, `ip`), all zero if unknown (nothing is created). */
  #read(id: Uint8Array, ip: IpAddress): Readonly<EndpointState> {
    return this.#endpoints.get(endpointKey(id, ip)) ?? UNKNOWN_ENDPOINT;
  }

  /** The state of `key`, created if missing; `touch` moves it to the back of the eviction order. */
  #endpoint(key: string, touch: boolean): EndpointState {
    let state = this.#endpoints.get(key);
    if (state !== undefined && !touch) return state;
    if (state !== undefined) this.#endpoints.delete(key);
    state ??= { lastPingMs: 0, lastPongMs: 0, findFails: 0 };
    this.#endpoints.set(key, state);
    if (this.#endpoints.size > this.#limits.maxEndpoints) {
      const oldest = this.#endpoints.keys().next().value;
      if (oldest !== undefined) this.#endpoints.delete(oldest);
    }
    return state;
  }
}

function endpointKey(id: Uint8Array, ip: IpAddress): string {
  assertBytes('id', id, 32);
  return `${bytesToHex(id)}|${canonicalIp(ip)}`;
}

/** IPs in text already put in canonical form (every call of a view needs one), at most 65,536. */
const canonicalIps = new Map<string, string>();
const MAX_CANONICAL_IPS = 65_536;

function canonicalIp(ip: IpAddress): string {
  if (typeof ip === 'string') {
    const known = canonicalIps.get(ip);
    if (known !== undefined) return known;
  }
  const text = typeof ip === 'string' ? normalizeIp(ip) : bytesToIp(ip);
  if (text === undefined) throw new TypeError(`ip: expected an IP address, got ${String(ip)}`);
  if (typeof ip === 'string') {
    if (canonicalIps.size >= MAX_CANONICAL_IPS) canonicalIps.clear();
    canonicalIps.set(ip, text);
  }
  return text;
}
