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
import { Enr, Node, nodeIdFromPublicKey } from '@ethp2p/enode';

/** Entries kept per kind by default: enough for every node of a 10,000-node simulation. */
export const SIMULATION_MEMO_LIMIT = 65_536;

/** A Neighbors entry's or a pinger's endpoint. */
export interface MemoEndpoint {
  readonly ip: string;
  readonly udp: number;
  /** 0 or absent: none. */
  readonly tcp?: number;
}

/** Shared derivations of the simulated nodes of a process; see the module. */
export class SimulationMemo {
  readonly #ids: FifoMap<Uint8Array>;
  readonly #records: FifoMap<Enr>;
  readonly #nodes: FifoMap<Node>;

  /** @throws {RangeError} unless `limit` is a positive safe integer */
  constructor(limit: number = SIMULATION_MEMO_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`limit: expected a positive integer, got ${limit}`);
    }
    this.#ids = new FifoMap(limit);
    this.#records = new FifoMap(limit);
    this.#nodes = new FifoMap(limit);
  }

  /** Entries held, per kind. */
  get size(): { readonly ids: number; readonly records: number; readonly nodes: number } {
    return { ids: this.#ids.size, records: this.#records.size, nodes: this.#nodes.size };
  }

  /** The node ID (keccak256) of a 64-byte public key. Shared: never modify it. */
  nodeId(publicKey: Uint8Array): Uint8Array {
    const key = latin1(publicKey);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = nodeIdFromPublicKey(publicKey);
      this.#ids.set(key, id);
    }
    return id;
  }

  /**
   * The verified record encoded as `raw` (`Enr.decode`, verified once per distinct record).
   * @throws {EnrError} as `Enr.decode` for a record that is not valid (never remembered)
   */
  record(raw: Uint8Array): Enr {
    const key = latin1(raw);
    let record = this.#records.get(key);
    if (record === undefined) {
      record = Enr.decode(raw);
      this.#records.set(key, record);
    }
    return record;
  }

  /**
   * `Node.fromPublicKey(publicKey, endpoint)`, checked once per distinct key and endpoint.
   * @throws {TypeError|RangeError} as `Node.fromPublicKey` (never remembered)
   */
  node(publicKey: Uint8Array, endpoint: MemoEndpoint): Node {
    const tcp = endpoint.tcp ?? 0;
    const key = `${latin1(publicKey)}|${endpoint.ip}|${endpoint.udp}|${tcp}`;
    let node = this.#nodes.get(key);
    if (node === undefined) {
      const { ip, udp } = endpoint;
      node = Node.fromPublicKey(publicKey, tcp === 0 ? { ip, udp } : { ip, udp, tcp });
      this.#nodes.set(key, node);
    }
    return node;
  }
}

/** A map that forgets its oldest entry past `limit`. */
class FifoMap<V> {
  readonly #limit: number;
  readonly #map = new Map<string, V>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    this.#map.set(key, value);
    if (this.#map.size > this.#limit) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
  }
}

/** The bytes as a one-byte-per-char string: a flat Map key half the length of hex. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The memo every simulated node of this process shares (`SimulatedSignatures.memo`). */
export const sharedSimulationMemo: SimulationMemo = new SimulationMemo();
