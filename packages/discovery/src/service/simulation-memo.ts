/**
 * What the simulated nodes of one process share so that each learns a fact once for all of
 * them (issue 18): node IDs of public keys, verified node records, and the `Node` of each
 * (key, endpoint) seen in Neighbors or Pings. A thousand simulated nodes otherwise hash the same
 * keys, check the same keys on the curve and verify the same record signatures (real secp256k1)
 * a thousand times, and keep a thousand copies of each. Used only with the simulated identity
 * (`SimulatedSignatures`), whose nodes are all in this process. Every value is immutable, so
 * sharing them changes nothing but the cost. Bounded: past `limit` entries per kind the oldest
 * is forgotten (and is derived again when next needed).
 * @module
 */
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import { Enr, Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { BoundedMap } from './bounded-map.ts';

/** Entries kept per kind by default: enough for every node of a 10,000-node simulation. */
export const SIMULATION_MEMO_LIMIT = 65_536;

/** A Neighbors entry's or a pinger's endpoint. */
export interface MemoEndpoint {
  readonly ip: string;
  readonly udp: number;
  /** 0 or absent: none. */
  readonly tcp?: number;
}

/** A node ID and its hex, derived from a public key. */
export interface NodeIdentity {
  /** The 32-byte node ID. Shared: never modify it. */
  readonly id: Uint8Array;
  /** Its lower-case hex: the same string every time, so its hash is computed once. */
  readonly hex: string;
}

/** Shared derivations of the simulated nodes of a process; see the module. */
export class SimulationMemo {
  readonly #ids: BoundedMap<number, Keyed<NodeIdentity>>;
  readonly #records: BoundedMap<number, Keyed<Enr>>;
  readonly #nodes: BoundedMap<number, Keyed<Node>[]>;

  /** @throws {RangeError} unless `limit` is a positive safe integer */
  constructor(limit: number = SIMULATION_MEMO_LIMIT) {
    this.#ids = new BoundedMap(limit);
    this.#records = new BoundedMap(limit);
    this.#nodes = new BoundedMap(limit);
  }

  /** Entries held, per kind (nodes: distinct keys). */
  get size(): { readonly ids: number; readonly records: number; readonly nodes: number } {
    return { ids: this.#ids.size, records: this.#records.size, nodes: this.#nodes.size };
  }

  /** The node ID (keccak256) of a 64-byte public key. Shared: never modify it. */
  nodeId(publicKey: Uint8Array): Uint8Array {
    return this.identity(publicKey).id;
  }

  /** The node ID of a 64-byte public key with its hex. */
  identity(publicKey: Uint8Array): NodeIdentity {
    const slot = prefixKey(publicKey);
    const hit = this.#ids.get(slot);
    if (hit !== undefined && equalBytes(hit.bytes, publicKey)) return hit.value;
    const id = nodeIdFromPublicKey(publicKey);
    const identity = { id, hex: bytesToHex(id) };
    // A prefix shared with another key (never seen among random keys) is simply not kept.
    if (hit === undefined)
      this.#ids.set(slot, { bytes: Uint8Array.from(publicKey), value: identity });
    return identity;
  }

  /**
   * The verified record encoded as `raw` (`Enr.decode`, verified once per distinct record).
   * @throws {EnrError} as `Enr.decode` for a record that is not valid (never remembered)
   */
  record(raw: Uint8Array): Enr {
    const slot = contentKey(raw);
    const hit = this.#records.get(slot);
    if (hit !== undefined && equalBytes(hit.bytes, raw)) return hit.value;
    const record = Enr.decode(raw);
    if (hit === undefined) this.#records.set(slot, { bytes: record.encode(), value: record });
    return record;
  }

  /**
   * `Node.fromPublicKey(publicKey, endpoint)`, checked once per distinct key and endpoint.
   * @throws {TypeError|RangeError} as `Node.fromPublicKey` (never remembered)
   */
  node(publicKey: Uint8Array, endpoint: MemoEndpoint): Node {
    const { ip, udp } = endpoint;
    const tcp = endpoint.tcp ?? 0;
    const slot = prefixKey(publicKey);
    const known = this.#nodes.get(slot);
    const same = known !== undefined && equalBytes((known[0] as Keyed<Node>).bytes, publicKey);
    if (same) {
      for (const { value } of known) {
        if (value.ip === ip && value.udp === udp && (value.tcp ?? 0) === tcp) return value;
      }
    }
    const node = Node.fromPublicKey(publicKey, tcp === 0 ? { ip, udp } : { ip, udp, tcp });
    const entry = { bytes: node.publicKey, value: node };
    // A prefix shared with another key (never seen among random keys) is simply not kept.
    if (known === undefined) this.#nodes.set(slot, [entry]);
    else if (same && known.length < MAX_ENDPOINTS_PER_KEY) known.push(entry);
    return node;
  }
}

/** Endpoints remembered per key (a simulated node has one; a moved one a few). */
const MAX_ENDPOINTS_PER_KEY = 4;

/** A memo value with the bytes it was derived from, compared on every hit. */
interface Keyed<V> {
  readonly bytes: Uint8Array;
  readonly value: V;
}

/**
 * The first 53 bits of a key (uniformly random for public keys) as a number: a Map key that
 * costs nothing to hash, where a string of the bytes costs a string and its hash per lookup.
 */
function prefixKey(bytes: Uint8Array): number {
  const b = (i: number): number => bytes[i] as number;
  const high = ((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0;
  const low = (b(4) << 13) | (b(5) << 5) | (b(6) >>> 3);
  return high * 2 ** 21 + low;
}

/** A 32-bit FNV-1a of the bytes, then their length: a number key for content of any layout. */
function contentKey(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return (h >>> 0) * 4096 + (bytes.length & 4095);
}

/** The memo every simulated node of this process shares (`SimulatedSignatures.memo`). */
export const sharedSimulationMemo: SimulationMemo = new SimulationMemo();
