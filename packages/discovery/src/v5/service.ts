/**
 * `DiscoveryV5`: the Node Discovery v5 service (geth `p2p/discover/v5_udp.go` `UDPv5` above its
 * codec): the Kademlia table shared with discv4, revalidation by PING, lookups by log distance,
 * the node source for the dialer and the TALKREQ API. The packets, sessions and handshakes are
 * the rpc's ({@link V5Rpc}).
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-theory.md
 * @module
 */
import {
  type Clock,
  defaultLogger,
  type Logger,
  type Random,
  systemClock,
  systemRandom,
  TaskGroup,
} from '@ethp2p/base';
import { assertBytes } from '@ethp2p/crypto';
import type { LocalNode, NodeDatabase } from '@ethp2p/enode';
import { Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import type { BanCheck } from '../ban-check.ts';
import { randomNodes } from '../lookup/iterators.ts';
import { lookupTarget, runTargetLookup } from '../lookup/lookup.ts';
import { untilStopped, untilStoppedPromise } from '../service/closed.ts';
import { REFRESH_RANDOM_LOOKUPS } from '../service/config.ts';
import { withServiceSignal } from '../service/context.ts';
import type { SignalOptions } from '../service/discovery.ts';
import { DiscoveryError } from '../service/errors.ts';
import type { ListenOptions } from '../service/listen.ts';
import { buildOnListenResources } from '../service/listen.ts';
import { waitForTable } from '../service/node-source.ts';
import { Refresher } from '../service/refresh.ts';
import { Table } from '../table/table.ts';
import type { TableEvents } from '../table/types.ts';
import type { DiscoveryV5Config } from './config.ts';
import { resolveV5Config } from './config.ts';
import type { V5Context } from './context.ts';
import { requestHandlers } from './handlers.ts';
import { v5LookupDeps, v5LookupNodes } from './lookup/lookup.ts';
import { resolveV5 } from './lookup/resolve.ts';
import type { DiscoveryV5Metrics } from './metrics.ts';
import { V5MetricsCounters } from './metrics.ts';
import type { DiscV5RpcConfig } from './rpc/config.ts';
import { DiscV5Rpc } from './rpc/rpc.ts';
import type { V5PingResult, V5Rpc } from './rpc/types.ts';
import { requestRecord, v5Revalidator } from './table/revalidator.ts';
import type { TalkHandler } from './talk.ts';
import { TalkProtocols } from './talk.ts';

/** Options of {@link DiscoveryV5}. */
export interface DiscoveryV5Options {
  /** Our record; the rpc signs handshakes with its key. */
  readonly localNode: LocalNode;
  /** The transport. The service takes it over: `stop()` closes it. */
  readonly rpc: V5Rpc;
  /** Findnode failures and seeds (records only). Not closed by `stop()`. */
  readonly db: NodeDatabase;
  /** Nodes to start from; each needs a record (an ENR) with an IP and a UDP port. */
  readonly bootnodes?: readonly Node[];
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Overrides of go-ethereum's defaults. */
  readonly config?: Partial<DiscoveryV5Config>;
  /** Which IPs discovery may use (geth `Config.NetRestrict`); default every IP. */
  readonly allowIp?: (ip: string) => boolean;
  /**
   * The ban list (normally `Server.reputation`): banned nodes are never added to the table. Give
   * the same list to the rpc (`DiscoveryV5.listen` does) to drop their packets.
   */
  readonly bans?: BanCheck;
}

/** Options of {@link DiscoveryV5.listen}: discv4's, with the discv5 settings. */
export interface V5ListenOptions extends Omit<ListenOptions, 'config' | 'workers'> {
  readonly config?: Partial<DiscoveryV5Config>;
  /** Settings of the rpc (timeouts, session and challenge limits). */
  readonly rpcConfig?: Partial<DiscV5RpcConfig>;
  readonly allowIp?: (ip: string) => boolean;
}

/** Events of {@link DiscoveryV5} (the table's), one payload object each. */
export type DiscoveryV5Events = TableEvents;

type State = 'new' | 'running' | 'stopped';

/**
 * A Node Discovery v5 node with the shapes of `DiscoveryV4`. Construct it over an rpc, `start()`
 * it, and `stop()` it when done: afterwards no timer, task or pending promise remains and the rpc
 * is closed.
 *
 * Ownership: the service owns the rpc, the table, the refresh loop and the talk protocols; `db`
 * and `localNode` stay the caller's. Requests from the network reach it through the handlers it
 * gives the rpc (FINDNODE answers from the table, TALKREQ to the registered protocols, nodes that
 * completed a handshake into the table).
 *
 * @example
 * ```ts
 * const v5 = new DiscoveryV5({ localNode, rpc, db, bootnodes });
 * v5.registerTalkProtocol('echo', (request) => request);
 * await v5.start();
 * for await (const n of v5.lookup(undefined, { signal: AbortSignal.timeout(10_000) })) console.log(n.id);
 * await v5.stop();
 * ```
 */
export class DiscoveryV5 {
  /** `node:added` / `node:removed`, re-emitted from the table. */
  readonly events: Pick<EventEmitter<DiscoveryV5Events>, 'on' | 'once' | 'off'>;
  /** Our record. */
  readonly localNode: LocalNode;
  readonly #emitter = new EventEmitter<DiscoveryV5Events>();
  readonly #controller = new AbortController();
  readonly #tasks = new TaskGroup();
  readonly #counters = new V5MetricsCounters();
  readonly #ctx: V5Context;
  readonly #refresher: Refresher;
  readonly #onStop: (() => Promise<void>)[] = [];
  #state: State = 'new';
  #stopping: Promise<void> | undefined;

  /** @throws {TypeError|RangeError} on a bootnode without a record, or a bad config */
  constructor(options: DiscoveryV5Options) {
    const bootnodes = options.bootnodes ?? [];
    for (const [i, n] of bootnodes.entries()) {
      if (!(n instanceof Node) || n.record === undefined) {
        throw new TypeError(`bootnodes[${i}]: expected a Node with a record`);
      }
    }
    this.localNode = options.localNode;
    this.events = this.#emitter;
    const config = resolveV5Config(options.config);
    const clock = options.clock ?? systemClock;
    const random = options.random ?? systemRandom;
    const logger = options.logger ?? defaultLogger;
    const table = new Table({
      selfId: options.localNode.id,
      db: options.db,
      clock,
      random,
      logger,
      pingIntervalMs: config.pingIntervalMs,
      ...(options.bans === undefined ? {} : { bans: options.bans }),
    });
    table.events.on('node:added', (e) => this.#emitter.emit('node:added', e));
    table.events.on('node:removed', (e) => this.#emitter.emit('node:removed', e));
    const ctx: V5Context = {
      localNode: options.localNode,
      rpc: options.rpc,
      table,
      talk: new TalkProtocols(this.#counters, logger),
      metrics: this.#counters,
      config,
      clock,
      random,
      logger,
      allowIp: options.allowIp ?? (() => true),
      signal: this.#controller.signal,
      tasks: this.#tasks,
    };
    this.#ctx = ctx;
    const db = options.db;
    this.#refresher = new Refresher({
      table,
      // Seeds the node database keeps for discv4 may lack a record: discv5 needs one.
      db: {
        querySeeds: async (...args) =>
          (await db.querySeeds(...args)).filter((n) => n.record !== undefined),
      },
      bootnodes,
      selfId: options.localNode.id,
      selfPublicKey: options.localNode.publicKey,
      clock,
      random,
      logger,
      config: { ...config, refreshRandomLookups: REFRESH_RANDOM_LOOKUPS },
      allowIp: ctx.allowIp,
      lookup: (key, signal) => this.#runLookup(nodeIdFromPublicKey(key), signal),
    });
    options.rpc.setHandlers(requestHandlers(ctx));
  }

  /** A snapshot of the service's counters and, under `rpc`, its transport's. */
  get metrics(): DiscoveryV5Metrics {
    return { ...this.#counters.snapshot(), rpc: this.#ctx.rpc.metrics };
  }

  /**
   * Starts revalidating the table and refreshing it (the first refresh runs now, in the
   * background). A second call while running does nothing.
   * @throws {DiscoveryError} `CLOSED` after `stop()`
   */
  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new DiscoveryError('CLOSED', 'discovery stopped');
    this.#state = 'running';
    this.#ctx.table.start(v5Revalidator(this.#ctx));
    this.#refresher.start();
  }

  /**
   * Stops everything: lookups and iterators end, revalidation and refresh stop, background work
   * is awaited and the rpc is closed. Idempotent; safe before `start()`.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopped';
    this.#controller.abort(new DiscoveryError('CLOSED', 'discovery stopped'));
    await Promise.allSettled([this.#refresher.stop(), this.#ctx.table.stop()]);
    await this.#tasks.wait();
    await this.#ctx.rpc.close();
    for (const close of this.#onStop) await close();
  }

  /**
   * Binds a UDP socket on `address` (default `127.0.0.1`) and `port` (default 0), opens an
   * in-memory node database unless `db` is given, creates the local record (fallback IP = the
   * bound address, fallback UDP port = the bound port), puts a {@link DiscV5Rpc} on the socket
   * and starts the service. `stop()` then also closes what it created.
   * @throws {TransportError} `BIND_FAILED`
   * @example
   * ```ts
   * const node = await DiscoveryV5.listen({ privateKey: generatePrivateKey() });
   * console.log(node.self().record?.encodeText());
   * await node.stop();
   * ```
   */
  static async listen(options: V5ListenOptions): Promise<DiscoveryV5> {
    const { service, release } = await buildOnListenResources(options, (res) => {
      const rpc = new DiscV5Rpc({
        privateKey: options.privateKey,
        localNode: res.localNode,
        socket: res.socket,
        ...optional(options, 'clock', 'random', 'logger'),
        ...(options.rpcConfig === undefined ? {} : { config: options.rpcConfig }),
        ...(options.bans === undefined ? {} : { bans: options.bans }),
      });
      return new DiscoveryV5({ ...options, localNode: res.localNode, db: res.db, rpc });
    });
    service.#onStop.push(release);
    await service.start();
    return service;
  }

  /** Refreshes the table now (seeds, bootnodes, a self lookup and 3 random ones), or joins the running refresh. */
  refresh(): Promise<void> {
    return this.#refresher.refresh();
  }

  /** Our current signed record as a node. */
  self(): Node {
    return this.localNode.node();
  }

  /** Every node in the table, bucket by bucket. */
  nodes(): Node[] {
    return this.#ctx.table.nodes();
  }

  /** The `n` table nodes closest to the 32-byte `targetId`, nearest first. */
  closest(targetId: Uint8Array, n: number): Node[] {
    return this.#ctx.table.closest(targetId, n, false);
  }

  /**
   * PINGs `node` (handshaking first if needed) and resolves with its PONG: the node's record seq
   * and the endpoint it saw us at.
   * @throws what the rpc rejects with (a timeout); {@link DiscoveryError} `CLOSED`; `signal.reason`
   */
  ping(node: Node, options: SignalOptions = {}): Promise<V5PingResult> {
    checkNode(node);
    return this.#call((signal) => this.#ctx.rpc.ping(node, { signal }), options.signal);
  }

  /**
   * `node`'s current record, asked with FINDNODE for distance 0.
   * @throws {DiscoveryError} `BAD_RECORD` unless the answer is exactly that node's record;
   *   `CLOSED`; what the rpc rejects with; `signal.reason`
   */
  requestEnr(node: Node, options: SignalOptions = {}): Promise<Node> {
    checkNode(node);
    return this.#call(async (signal) => {
      const record = await requestRecord(this.#ctx.rpc, node, signal);
      if (record === undefined) {
        throw new DiscoveryError('BAD_RECORD', 'distance 0 did not answer with the node record');
      }
      return record;
    }, options.signal);
  }

  /**
   * Sends a TALKREQ for `protocol` (a name, sent as its UTF-8 bytes, or raw bytes) and resolves
   * with the TALKRESP payload (empty when the node does not speak the protocol).
   * @throws what the rpc rejects with; {@link DiscoveryError} `CLOSED`; `signal.reason`
   */
  talkRequest(
    node: Node,
    protocol: string | Uint8Array,
    payload: Uint8Array,
    options: SignalOptions = {},
  ): Promise<Uint8Array> {
    checkNode(node);
    const name = typeof protocol === 'string' ? new TextEncoder().encode(protocol) : protocol;
    assertBytes('payload', payload);
    return this.#call(
      (signal) => this.#ctx.rpc.talkRequest(node, name, payload, { signal }),
      options.signal,
    );
  }

  /**
   * Answers TALKREQs for `protocol` with `handler` (geth `RegisterTalkHandler`); returns what
   * unregisters it. Requests for unregistered protocols, and handlers that throw, get an empty
   * TALKRESP.
   * @throws {TypeError} on an empty or already registered name
   */
  registerTalkProtocol(protocol: string, handler: TalkHandler): () => void {
    return this.#ctx.talk.register(protocol, handler);
  }

  /**
   * Runs a lookup for `targetPublicKey` (64 bytes, whose keccak256 is the target ID; random when
   * omitted) and yields each node as the lookup sees it, unsorted (the server's `NodeSource`).
   */
  async *lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncGenerator<Node> {
    const key = targetPublicKey ?? this.#ctx.random.bytes(64);
    assertBytes('targetPublicKey', key, 64);
    const signal = withServiceSignal(this.#ctx, options.signal);
    const nodes = v5LookupNodes(this.#ctx, this.#tableReady, nodeIdFromPublicKey(key), signal);
    yield* untilStopped(this.#ctx.signal, nodes);
  }

  /**
   * An endless stream of nodes from successive random lookups (geth `RandomNodes`), for the
   * dialer: at most one lookup start per second. Ends quietly when `signal` aborts or the
   * service stops.
   */
  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    const deps = v5LookupDeps(this.#ctx);
    return randomNodes(
      {
        lookup: (key, signal) => lookupTarget(deps, nodeIdFromPublicKey(key), { signal }),
        waitForTable: this.#tableReady,
        clock: this.#ctx.clock,
        random: this.#ctx.random,
      },
      { signal: withServiceSignal(this.#ctx, options.signal) },
    );
  }

  /**
   * `node`'s newest record: a newer table entry or the node itself answering FINDNODE [0], else
   * the newest a lookup of its ID finds (geth `Resolve`); `undefined` when not found at all.
   * @throws `signal.reason` when aborted; {@link DiscoveryError} `CLOSED` when stopped
   */
  resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    checkNode(node);
    return this.#call(
      (signal) => resolveV5(this.#ctx, this.#tableReady, node, signal),
      options.signal,
    );
  }

  readonly #tableReady = (signal: AbortSignal): Promise<void> =>
    waitForTable(this.#ctx.table, this.#refresher.initDone, signal);

  #runLookup(targetId: Uint8Array, signal: AbortSignal): Promise<Node[]> {
    return runTargetLookup(v5LookupDeps(this.#ctx), targetId, { signal });
  }

  /** Runs a network call under the caller's and the service's signals. */
  async #call<T>(work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#ctx.signal.aborted) throw new DiscoveryError('CLOSED', 'discovery stopped');
    signal?.throwIfAborted();
    return untilStoppedPromise(this.#ctx.signal, work(withServiceSignal(this.#ctx, signal)));
  }
}

/** The fields of `options` among `keys` that are set (for exactOptionalPropertyTypes). */
function optional<T extends object, K extends keyof T>(
  options: T,
  ...keys: K[]
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (options[k] !== undefined) out[k] = options[k];
  return out;
}

function checkNode(node: unknown): asserts node is Node {
  if (!(node instanceof Node)) throw new TypeError(`node: expected Node, got ${typeof node}`);
}
