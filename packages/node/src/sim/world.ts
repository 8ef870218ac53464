/**
 * The simulated network: N discv4 nodes with the simulated identity on one `MemoryNetwork`, all
 * on one `SimulatedClock`, sharing one `MemoryNodeStore` (a view each). Keys, addresses, join times and bootnodes follow from the seed. Every
 * node is built up front and started at its join time by a timer of the clock.
 * @module
 */
import { type Random, type SimulatedClock, seededRandom, silentLogger } from '@ethp2p/base';
import { publicKey as derivePublicKey } from '@ethp2p/crypto';
import {
  DiscoveryV4,
  MemoryNetwork,
  MemoryNodeStore,
  SimulatedSignatures,
} from '@ethp2p/discovery';
import { LocalNode, type Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import type { SimOptions } from './options.ts';

/** The discv4 port of every simulated node (each has its own IP). */
export const SIM_PORT = 30303;

/** One node of the simulation. */
export interface SimNode {
  readonly index: number;
  /** The 32-byte node ID. */
  readonly id: Uint8Array;
  readonly service: DiscoveryV4;
  /** Virtual time at which it starts. */
  readonly joinAtMs: number;
  /** Whether it has started. */
  joined: boolean;
}

/** The nodes, their network and their clock; `close()` stops them all. */
export class SimWorld {
  readonly nodes: readonly SimNode[];
  readonly network: MemoryNetwork;
  readonly clock: SimulatedClock;
  readonly #closers: (() => Promise<void>)[];

  private constructor(
    nodes: SimNode[],
    network: MemoryNetwork,
    clock: SimulatedClock,
    closers: (() => Promise<void>)[],
  ) {
    this.nodes = nodes;
    this.network = network;
    this.clock = clock;
    this.#closers = closers;
  }

  /**
   * Builds every node of `options` on `clock` (at its start time) and schedules each start.
   * `random` draws keys, bootnodes and losses.
   */
  static async create(options: SimOptions, clock: SimulatedClock): Promise<SimWorld> {
    const random = seededRandom(options.seed);
    const network = new MemoryNetwork({
      clock,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      lossRate: options.loss,
      random: seededRandom(options.seed ^ 0x5eed),
    });
    const store = new MemoryNodeStore({ clock, random: seededRandom(options.seed ^ 0x5702e) });
    const nodes: SimNode[] = [];
    const closers: (() => Promise<void>)[] = [];
    const selves: Node[] = [];
    for (let index = 0; index < options.nodes; index++) {
      const keys = seededKey(random);
      const bootnodes = pickBootnodes(options, selves, random);
      const built = await buildNode(
        { index, keys, bootnodes, random },
        { clock, network, store, options },
      );
      selves.push(built.service.self());
      nodes.push(scheduleJoin(index, built, clock, options, closers));
    }
    return new SimWorld(nodes, network, clock, closers);
  }

  /** The nodes started so far. */
  joined(): SimNode[] {
    return this.nodes.filter((n) => n.joined);
  }

  /** Stops every node. */
  async close(): Promise<void> {
    await Promise.all(this.#closers.map((close) => close()));
  }
}

/** The IP of node `index`: 10.0.0.1 upwards. */
export function simIp(index: number): string {
  const n = index + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** What every node of a network is built with. */
export interface SimShared {
  readonly clock: SimulatedClock;
  readonly network: MemoryNetwork;
  readonly store: MemoryNodeStore;
  readonly options: SimOptions;
}

/** What makes one node: its index (hence its IP), keys, bootnodes and random source. */
export interface SimNodeParts {
  readonly index: number;
  readonly keys: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
  readonly bootnodes: readonly Node[];
  /** Draws the service's randomness (lookup targets, revalidation picks). */
  readonly random: Random;
}

/** A built node, not started. */
export interface BuiltNode {
  readonly id: Uint8Array;
  readonly service: DiscoveryV4;
  readonly close: () => Promise<void>;
}

/** Builds node `parts.index` (its record, its socket at {@link simIp}, its service). */
export async function buildNode(
  { index, keys, bootnodes, random }: SimNodeParts,
  { clock, network, store, options }: SimShared,
): Promise<BuiltNode> {
  const { privateKey, publicKey } = keys;
  const id = nodeIdFromPublicKey(publicKey);
  const db = store.view(id);
  const localNode = await LocalNode.create({ privateKey, db, clock, logger: silentLogger });
  const ip = simIp(index);
  const socket = network.bind(ip, SIM_PORT);
  // The node knows its address (as with `--nat extip:`): no endpoint prediction from the
  // Pongs' statements, which costs a scan of every statement per Pong.
  localNode.setStaticIp(ip);
  localNode.setFallbackUdpPort(SIM_PORT);
  const service = new DiscoveryV4({
    privateKey,
    signatures: new SimulatedSignatures(publicKey),
    localNode,
    socket,
    db,
    bootnodes,
    clock,
    random,
    logger: silentLogger,
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  const close = async (): Promise<void> => {
    await service.stop();
    await localNode.close();
  };
  return { id, service, close };
}

/**
 * The virtual time node `index` joins at: the nodes join one after another over
 * `options.joinMs` from `startMs`.
 */
export function joinAt(options: SimOptions, startMs: number, index: number): number {
  return startMs + Math.floor((index * options.joinMs) / options.nodes);
}

/**
 * Schedules the start of `built` at its join time on `clock` (from now, the world's start);
 * `closers` gets its stop and the cancel of a join still to come.
 */
export function scheduleJoin(
  index: number,
  built: BuiltNode,
  clock: SimulatedClock,
  options: SimOptions,
  closers: (() => Promise<void>)[],
): SimNode {
  const start = clock.now();
  const node: SimNode = {
    index,
    id: built.id,
    service: built.service,
    joinAtMs: joinAt(options, start, index),
    joined: false,
  };
  closers.push(built.close);
  const join = clock.schedule(node.joinAtMs - start, () => {
    node.joined = true;
    node.service.start().catch(() => {}); // fails only once the world is closing
  });
  // A node that has not joined when the world closes never starts.
  closers.push(async () => join.cancel());
  return node;
}

function pickBootnodes(options: SimOptions, earlier: readonly Node[], random: Random): Node[] {
  if (earlier.length === 0) return [];
  if (options.bootstrap.kind === 'one') return [earlier[0] as Node];
  const picked = new Set<Node>();
  const want = Math.min(options.bootstrap.count, earlier.length);
  while (picked.size < want) picked.add(earlier[random.intn(earlier.length)] as Node);
  return [...picked];
}

/** A valid secp256k1 key pair drawn from `random` (a draw outside the curve order is redrawn). */
export function seededKey(random: Random): { privateKey: Uint8Array; publicKey: Uint8Array } {
  for (;;) {
    const privateKey = random.bytes(32);
    try {
      return { privateKey, publicKey: derivePublicKey(privateKey) };
    } catch {
      // Zero or not below the curve order: astronomically rare, draw again.
    }
  }
}
