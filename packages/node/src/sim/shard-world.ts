/**
 * The world of one shard of a sharded simulation: the nodes it owns (node i is on shard
 * i mod W), on its own `SimulatedClock`, `MemoryNetwork` and `MemoryNodeStore`. A datagram for a
 * node of another shard leaves through the network's bridge into the batch for that shard, with
 * its arrival time; batches from other shards are scheduled for delivery at their arrival times.
 * Everything a node is made of follows from (seed, index), so it behaves alike on any shard.
 * @module
 */
import type { SimulatedClock } from '@ethp2p/base';
import { MemoryNetwork, MemoryNodeStore } from '@ethp2p/discovery';
import { Node } from '@ethp2p/enode';
import { BatchWriter, readBatches } from './bridge-batch.ts';
import type { SimOptions } from './options.ts';
import type { LookupDone, LookupRequest, SampledMessage, ShardCounters } from './shard-protocol.ts';
import { bootnodeIndices, nodeRandom, shardIndices, shardOf, simIndexOf } from './shard-seeds.ts';
import { buildNode, SIM_PORT, type SimNode, scheduleJoin, seededKey, simIp } from './world.ts';

/** One shard's nodes, network and clock; `close()` stops its nodes. */
export class ShardWorld {
  readonly network: MemoryNetwork;
  readonly clock: SimulatedClock;
  readonly shard: number;
  readonly #workers: number;
  readonly #outbound: BatchWriter[];
  readonly #closers: (() => Promise<void>)[] = [];
  readonly #nodes: SimNode[] = [];
  /** Bridged datagrams to no node of another shard (counted as dropped). */
  #unroutable = 0;
  #seq = 0;

  private constructor(options: SimOptions, shard: number, clock: SimulatedClock) {
    this.shard = shard;
    this.clock = clock;
    this.#workers = options.workers;
    this.#outbound = Array.from({ length: options.workers }, () => new BatchWriter());
    this.network = new MemoryNetwork({
      clock,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      lossRate: options.loss,
      random: nodeRandom(options.seed ^ 0x5eed, shard),
      bridge: (data, from, to, delayMs) => {
        const receiver = simIndexOf(to.address);
        const dest =
          receiver >= 0 && receiver < options.nodes ? shardOf(receiver, options.workers) : -1;
        if (dest < 0 || dest === shard) {
          this.#unroutable++;
          return;
        }
        (this.#outbound[dest] as BatchWriter).push({
          arrivalMs: clock.now() + delayMs,
          sender: simIndexOf(from.address),
          seq: this.#seq++,
          receiver,
          fromPort: from.port,
          toPort: to.port,
          data,
        });
      },
    });
  }

  /** The nodes of this shard, by ascending index. */
  get nodes(): readonly SimNode[] {
    return this.#nodes;
  }

  /** Builds the nodes of `shard` on `clock` (at the start time) and schedules each start. */
  static async create(
    options: SimOptions,
    shard: number,
    clock: SimulatedClock,
  ): Promise<ShardWorld> {
    const world = new ShardWorld(options, shard, clock);
    const store = new MemoryNodeStore({ clock, random: nodeRandom(options.seed ^ 0x5702e, shard) });
    const shared = { clock, network: world.network, store, options };
    const known = new Map<number, Node>();
    const nodeAt = (index: number): Node => {
      let node = known.get(index);
      if (node === undefined) {
        const { publicKey } = seededKey(nodeRandom(options.seed, index));
        node = Node.fromPublicKey(publicKey, { ip: simIp(index), udp: SIM_PORT });
        known.set(index, node);
      }
      return node;
    };
    for (const index of shardIndices(shard, options.workers, options.nodes)) {
      const random = nodeRandom(options.seed, index);
      const keys = seededKey(random);
      known.set(index, Node.fromPublicKey(keys.publicKey, { ip: simIp(index), udp: SIM_PORT }));
      const bootnodes = bootnodeIndices(options.bootstrap, index, random).map(nodeAt);
      const built = await buildNode({ index, keys, bootnodes, random }, shared);
      world.#nodes.push(scheduleJoin(index, built, clock, options, world.#closers));
    }
    return world;
  }

  /** The node with index `index`, which this shard must own. */
  node(index: number): SimNode {
    const node = this.nodes[(index - this.shard) / this.#workers];
    if (node?.index !== index)
      throw new RangeError(`index: expected a node of shard ${this.shard}, got ${index}`);
    return node;
  }

  /**
   * Schedules every datagram of `batches` for delivery at its arrival time, in delivery order,
   * at the start of the window from `fromMs`.
   * @throws {RangeError} for a datagram arriving before `fromMs` (a window longer than the latency)
   */
  inject(batches: readonly ArrayBuffer[], fromMs: number): void {
    const now = this.clock.now();
    for (const d of readBatches(batches)) {
      if (d.arrivalMs < fromMs) {
        throw new RangeError(
          `datagram from node ${d.sender} arrives at ${d.arrivalMs}, before the window from ${fromMs}`,
        );
      }
      const from = { address: simIp(d.sender), port: d.fromPort };
      const to = { address: simIp(d.receiver), port: d.toPort };
      this.clock.schedule(d.arrivalMs - now, () => this.network.deliver(d.data, from, to));
    }
  }

  /** The batches for each shard collected since the last call, with their earliest arrivals. */
  takeOutbound(): { batches: (ArrayBuffer | null)[]; minArrivalMs: number[] } {
    const minArrivalMs = this.#outbound.map((w) => w.minArrivalMs);
    return { batches: this.#outbound.map((w) => w.take() ?? null), minArrivalMs };
  }

  /** The network counters, bridged datagrams to nobody counted as dropped. */
  counters(instants: number): ShardCounters {
    const s = this.network.stats;
    return {
      sent: s.sent,
      delivered: s.delivered,
      dropped: s.dropped + this.#unroutable,
      handlerErrors: s.handlerErrors,
      instants,
    };
  }

  /** The tables of the started nodes. */
  sample(): SampledMessage {
    let joined = 0;
    let fill = 0;
    let minFill = Number.POSITIVE_INFINITY;
    for (const node of this.nodes) {
      if (!node.joined) continue;
      const size = node.service.nodes().length;
      joined++;
      fill += size;
      minFill = Math.min(minFill, size);
    }
    return { kind: 'sampled', joined, fill, minFill };
  }

  /** Runs lookup `request` from its node; an abort of `signal` ends it as abandoned. */
  async lookup(request: LookupRequest, signal: AbortSignal): Promise<LookupDone> {
    const started = this.clock.now();
    try {
      const stats = await this.node(request.from).service.lookupClosest(request.target, { signal });
      const ids = new Uint8Array(stats.result.length * 32);
      for (const [i, n] of stats.result.entries()) ids.set(n.id, i * 32);
      return {
        id: request.id,
        ids,
        queried: stats.queried,
        hops: stats.hops,
        durationMs: stats.endedAtMs - stats.startedAtMs,
        abandoned: false,
      };
    } catch (err) {
      if (!signal.aborted) throw err;
      const durationMs = this.clock.now() - started;
      return {
        id: request.id,
        ids: new Uint8Array(0),
        queried: 0,
        hops: 0,
        durationMs,
        abandoned: true,
      };
    }
  }

  /** Stops every node. */
  async close(): Promise<void> {
    await Promise.all(this.#closers.map((close) => close()));
  }
}
