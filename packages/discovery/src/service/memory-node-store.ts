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
import { EndpointMap } from './endpoint-map.ts';
import type { DiscoveryNodeStore } from './node-store.ts';

/**
 * Node IDs one view keeps endpoints of by default (bonds and findnode failures; up to
 * `MAX_IPS_PER_ID` IPs each).
 */
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
   * Node IDs whose endpoints a view keeps; past it the ID least recently added or bonded is
   * forgotten (the bonds, ping times and failure counts of its IPs). Default
   * {@link MEMORY_STORE_MAX_ENDPOINTS}.
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
  /** The hex of the node IDs passed in, remembered per array (simulated nodes share them). */
  readonly hex: WeakMap<Uint8Array, string>;
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
      hex: new WeakMap(),
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
  /** (ID hex, canonical IP) → state, least recently added or bonded ID first. */
  readonly #endpoints: EndpointMap<EndpointState>;
  /** ID hex → the record with the highest seq, oldest stored first. */
  readonly #records = new Map<string, Node>();
  readonly #localSeqs = new Map<string, bigint>();

  /** Made by {@link MemoryNodeStore.view}. */
  constructor(selfHex: string, limits: Limits) {
    this.#self = selfHex;
    this.#limits = limits;
    this.#endpoints = new EndpointMap(limits.maxEndpoints);
  }

  /** How many node IDs with endpoints, and records, this view holds. */
  get size(): { readonly endpoints: number; readonly records: number } {
    return { endpoints: this.#endpoints.size, records: this.#records.size };
  }

  async lastPingReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).lastPingMs;
  }

  async updateLastPingReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    this.#endpoint(id, ip, false).lastPingMs = timeMs;
  }

  async lastPongReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).lastPongMs;
  }

  /** Records the bond; the endpoint moves to the back of the eviction order. */
  async updateLastPongReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    this.#endpoint(id, ip, true).lastPongMs = timeMs;
  }

  async findFails(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#read(id, ip).findFails;
  }

  async updateFindFails(id: Uint8Array, ip: IpAddress, fails: number): Promise<void> {
    if (!Number.isSafeInteger(fails)) {
      throw new RangeError(`fails: expected an integer, got ${fails}`);
    }
    this.#endpoint(id, ip, false).findFails = fails;
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
      const pong = this.#endpoints.get(key, canonicalIp(node.ip))?.lastPongMs ?? 0;
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
    return this.#endpoints.get(this.#hex(id), canonicalIp(ip)) ?? UNKNOWN_ENDPOINT;
  }

  /** The state of (`id`, `ip`), created if missing; `touch` moves its ID to the back of the eviction order. */
  #endpoint(id: Uint8Array, ip: IpAddress, touch: boolean): EndpointState {
    return this.#endpoints.upsert(this.#hex(id), canonicalIp(ip), newEndpoint, touch);
  }

  #hex(id: Uint8Array): string {
    let hex = this.#limits.hex.get(id);
    if (hex === undefined) {
      assertBytes('id', id, 32);
      hex = bytesToHex(id);
      this.#limits.hex.set(id, hex);
    }
    return hex;
  }
}

function newEndpoint(): EndpointState {
  return { lastPingMs: 0, lastPongMs: 0, findFails: 0 };
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
