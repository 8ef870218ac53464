/**
 * `DiscoveryV4`: a Node Discovery v4 node (geth `p2p/discover/v4_udp.go` `UDPv4`). It owns the
 * socket, the reply matcher, the table, the refresh loop and the counters.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
import {
  type Clock,
  defaultLogger,
  type Logger,
  type Random,
  safeEmit,
  systemClock,
  systemRandom,
  TaskGroup,
} from '@ethp2p/base';
import { assertBytes, publicKey as derivePublicKey, equalBytes } from '@ethp2p/crypto';
import type { LocalNode } from '@ethp2p/enode';
import { Node } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import { type BanCheck, NO_BANS } from '../ban-check.ts';
import type { LookupStats } from '../lookup/stats.ts';
import { createSignatureRunner } from '../pool/index.ts';
import { SimulatedSignatures } from '../pool/simulated.ts';
import type { SignatureRunner } from '../pool/types.ts';
import { Table } from '../table/table.ts';
import type { TableEvents, TableNodeInfo } from '../table/types.ts';
import type { DatagramHandler, DatagramSocket } from '../transport/datagram.ts';
import { DriftMonitor } from '../transport/drift-monitor.ts';
import { ReplyMatcher } from '../transport/reply-matcher.ts';
import type { DecodedPacket } from '../wire/index.ts';
import { BondCache } from './bond-cache.ts';
import type { PingResult } from './client.ts';
import { ping, requestEnr, revalidator } from './client.ts';
import { untilStopped, untilStoppedPromise } from './closed.ts';
import type { DiscoveryConfig } from './config.ts';
import { resolveConfig } from './config.ts';
import type { ServiceContext } from './context.ts';
import { withServiceSignal } from './context.ts';
import { DiscoveryError } from './errors.ts';
import { handleDatagram } from './handlers.ts';
import type { ListenOptions } from './listen.ts';
import { buildOnListenResources } from './listen.ts';
import type { DiscoveryMetrics } from './metrics.ts';
import { MetricsCounters } from './metrics.ts';
import {
  lookupNodes,
  lookupStats,
  nodeOrRefreshed,
  resolveNode,
  runServiceLookup,
  serviceRandomNodes,
  waitForTable,
} from './node-source.ts';
import type { DiscoveryNodeStore } from './node-store.ts';
import { PingBackLimiter } from './ping-backs.ts';
import { Refresher } from './refresh.ts';

/** Options of {@link DiscoveryV4}. */
export interface DiscoveryOptions {
  /** The node's 32-byte secp256k1 private key; it must be `localNode`'s. */
  readonly privateKey: Uint8Array;
  /** Our record: read for Pongs and ENRResponses, fed endpoint statements from Pings and Pongs. */
  readonly localNode: LocalNode;
  /**
   * Bonds, findnode failures and seeds: a `NodeDatabase`, or a view of a `MemoryNodeStore`
   * shared by many simulated nodes. Not closed by `stop()`.
   */
  readonly db: DiscoveryNodeStore;
  /** The bound socket. The service takes it over: `stop()` closes it. */
  readonly socket: DatagramSocket;
  /** Nodes to start from; they need an IP and a UDP port. */
  readonly bootnodes?: readonly Node[];
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Overrides of go-ethereum's defaults. */
  readonly config?: Partial<DiscoveryConfig>;
  /**
   * Which IPs discovery may use (geth `Config.NetRestrict`): nodes at other IPs are neither
   * added to the table nor contacted; their Pings get a Pong but no ping-back. Default: every IP.
   */
  readonly allowIp?: (ip: string) => boolean;
  /**
   * The ban list (normally `Server.reputation`): datagrams from a banned IP are dropped before
   * they are decoded (no signature recovery), packets from a banned node ID right after, and
   * banned nodes are never added to the table. Default: nothing banned.
   */
  readonly bans?: BanCheck;
  /**
   * Receives the datagrams that are not discv4 packets (too small, or a hash mismatch) instead of
   * dropping them, counted in `metrics.unhandled` (geth `Config.Unhandled`). Pass a
   * `SharedDatagramSocket`'s `deliver` to run discv5 on the same socket.
   */
  readonly unhandled?: DatagramHandler;
  /**
   * Worker threads for signature work (recovering senders, signing packets), so that discovery
   * uses more than one core (issue 18). `0` (the default) does it inline on this thread; `'auto'`
   * sizes the pool to the machine (`availableParallelism()`, 1 to 8). Under overload the pool
   * sheds Pings first, then FindNode/ENRRequest, never the replies to our own requests
   * (`metrics.signatures.shed`, `metrics.dropped.overloaded`). The workers need the built package
   * (`dist/`). Each `DiscoveryV4` has its own pool, ended by `stop()`.
   */
  readonly workers?: number | 'auto';
  /**
   * A signature runner to use instead of the one `workers` would make (a fake in tests, a pool
   * set up differently, or a `SimulatedSignatures` for simulations). It must seal with
   * `privateKey` (or its public key, when simulated); `stop()` closes it. A `simulated` runner is
   * refused with `DiscoveryError` `SIMULATION_ONLY` unless the socket is `inMemory`.
   */
  readonly signatures?: SignatureRunner;
}

/** Events of {@link DiscoveryV4}: the table's, and one per finished lookup. */
export interface DiscoveryEvents extends TableEvents {
  /**
   * A lookup ended (converged, aborted or left early), whatever started it: `lookup()`,
   * `lookupClosest()`, `randomNodes()`, `resolve()` or a refresh (`stats.kind`).
   */
  'lookup:done': (stats: LookupStats) => void;
}

/** Options of the calls that wait on the network. */
export interface SignalOptions {
  /** Aborting rejects the call (or ends the iteration) with `signal.reason`. */
  readonly signal?: AbortSignal;
}

type State = 'new' | 'running' | 'stopped';

/**
 * A Node Discovery v4 node. Construct it over a bound socket (or use {@link listen}), `start()`
 * it, and `stop()` it when done: afterwards no socket, timer or pending promise remains.
 *
 * Ownership: the service owns the socket (closed by `stop()`), the reply matcher, the table and
 * the refresh loop; `db` and `localNode` stay the caller's, except when made by {@link listen}.
 * All state changes happen synchronously in the socket handler or between awaits of one task;
 * every background task is tracked and awaited by `stop()`.
 *
 * @example
 * ```ts
 * const node = await DiscoveryV4.listen({ privateKey, bootnodes });
 * for await (const n of node.randomNodes({ signal: AbortSignal.timeout(10_000) })) console.log(n.enodeUrl());
 * await node.stop();
 * ```
 */
export class DiscoveryV4 {
  /** `node:added` / `node:removed`, re-emitted from the table, and `lookup:done`. */
  readonly events: Pick<EventEmitter<DiscoveryEvents>, 'on' | 'once' | 'off'>;
  /** Our record. */
  readonly localNode: LocalNode;
  readonly #emitter = new EventEmitter<DiscoveryEvents>();
  readonly #controller = new AbortController();
  readonly #tasks = new TaskGroup();
  readonly #ctx: ServiceContext;
  readonly #refresher: Refresher;
  readonly #counters = new MetricsCounters();
  readonly #onStop: (() => Promise<void>)[] = [];
  #state: State = 'new';
  #stopping: Promise<void> | undefined;

  /**
   * @throws {TypeError|RangeError} on a key that is not `localNode`'s, or a bad config;
   *   {DiscoveryError} `SIMULATION_ONLY` for a simulated runner on a socket not `inMemory`
   */
  constructor(options: DiscoveryOptions) {
    assertBytes('privateKey', options.privateKey, 32);
    if (!equalBytes(derivePublicKey(options.privateKey), options.localNode.publicKey)) {
      throw new TypeError('privateKey: expected the key of localNode');
    }
    for (const [i, n] of (options.bootnodes ?? []).entries()) {
      if (!(n instanceof Node)) throw new TypeError(`bootnodes[${i}]: expected Node`);
    }
    if (options.signatures?.simulated === true && options.socket.inMemory !== true) {
      throw new DiscoveryError(
        'SIMULATION_ONLY',
        'the simulated identity needs an in-memory socket, not a real one',
      );
    }
    this.localNode = options.localNode;
    this.events = this.#emitter;
    this.#ctx = this.#context(options, resolveConfig(options.config));
    const { table } = this.#ctx;
    table.events.on('node:added', (e) => this.#emitter.emit('node:added', e));
    table.events.on('node:removed', (e) => this.#emitter.emit('node:removed', e));
    this.#refresher = new Refresher({
      ...this.#ctx,
      bootnodes: [...(options.bootnodes ?? [])],
      selfId: this.localNode.id,
      selfPublicKey: this.localNode.publicKey,
      lookup: (target, signal) => runServiceLookup(this.#ctx, target, signal),
    });
  }

  #context(options: DiscoveryOptions, config: DiscoveryConfig): ServiceContext {
    const clock = options.clock ?? systemClock;
    const random = options.random ?? systemRandom;
    const logger = options.logger ?? defaultLogger;
    const common = { clock, random, logger };
    const memo =
      options.signatures instanceof SimulatedSignatures ? options.signatures.memo : undefined;
    return {
      ...common,
      privateKey: Uint8Array.from(options.privateKey),
      localNode: options.localNode,
      db: options.db,
      socket: options.socket,
      unhandled: options.unhandled,
      matcher: new ReplyMatcher<DecodedPacket>({ clock, timeoutMs: config.responseTimeoutMs }),
      drift: new DriftMonitor(logger),
      table: new Table({
        ...common,
        selfId: options.localNode.id,
        db: options.db,
        pingIntervalMs: config.pingIntervalMs,
        bans: options.bans ?? NO_BANS,
      }),
      config,
      allowIp: options.allowIp ?? (() => true),
      bans: options.bans ?? NO_BANS,
      metrics: this.#counters,
      pingBacks: new PingBackLimiter(config.maxPingBacks),
      bonds: new BondCache(),
      signal: this.#controller.signal,
      tasks: this.#tasks,
      signatures:
        options.signatures ??
        createSignatureRunner(options.workers ?? 0, options.privateKey, logger),
      simulated: memo,
      openOptions:
        memo === undefined ? {} : { trustHash: true, readRecord: (raw) => memo.record(raw) },
      lookupDone: (stats) => {
        const onError = (err: unknown): void => logger.error('lookup listener threw', { err });
        safeEmit(this.#emitter, 'lookup:done', stats, onError);
      },
    };
  }

  /**
   * Binds a UDP socket on `address` (default `127.0.0.1`) and `port` (default 0), opens an
   * in-memory node database unless `db` is given, creates the local record (fallback IP = the
   * bound address, fallback UDP port = the bound port) and starts the service. `stop()` then also
   * closes the database it opened.
   * @throws {TransportError} `BIND_FAILED`
   * @example
   * ```ts
   * const node = await DiscoveryV4.listen({ privateKey: generatePrivateKey() });
   * console.log(node.self().enodeUrl());
   * await node.stop();
   * ```
   */
  static async listen(options: ListenOptions): Promise<DiscoveryV4> {
    const { service, release } = await buildOnListenResources(
      options,
      (res) => new DiscoveryV4({ ...options, ...res }),
    );
    service.#onStop.push(release);
    await service.start();
    return service;
  }

  /** A snapshot of the packet counters and of the signature work. */
  get metrics(): DiscoveryMetrics {
    return { ...this.#counters.snapshot(), signatures: this.#ctx.signatures.stats };
  }

  /**
   * Starts answering packets, revalidating the table and refreshing it (the first refresh runs
   * now, in the background). A second call while running does nothing.
   * @throws {DiscoveryError} `CLOSED` after `stop()`
   */
  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new DiscoveryError('CLOSED', 'discovery stopped');
    this.#state = 'running';
    const ctx = this.#ctx;
    ctx.socket.onMessage((data, from) => {
      if (this.#state === 'running') handleDatagram(ctx, data, from);
    });
    ctx.table.start(revalidator(ctx));
    this.#refresher.start();
  }

  /**
   * Stops everything: pending requests reject with `CLOSED`, lookups and iterators end, the
   * table's revalidation and the refresh loop stop, background work is awaited and the socket is
   * closed. Idempotent; safe before `start()`.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopped';
    this.#ctx.matcher.close();
    this.#controller.abort(new DiscoveryError('CLOSED', 'discovery stopped'));
    // Closing the signature pool first fails the signing our background tasks may wait for.
    await Promise.allSettled([
      this.#ctx.signatures.close(),
      this.#refresher.stop(),
      this.#ctx.table.stop(),
    ]);
    await this.#tasks.wait();
    await this.#ctx.socket.close();
    for (const close of this.#onStop) await close();
  }

  /**
   * Refreshes the table now (seeds, bootnodes, a self lookup and 3 random ones), or joins the
   * refresh in progress; resolves when it finished. The first refresh starts with `start()`.
   */
  refresh(): Promise<void> {
    return this.#refresher.refresh();
  }

  /** Our current signed record as a node. */
  self(): Node {
    return this.localNode.node();
  }

  /** The `n` table nodes closest to the 32-byte `targetId`, nearest first. */
  closest(targetId: Uint8Array, n: number): Node[] {
    return this.#ctx.table.closest(targetId, n, false);
  }

  /** Every node in the table, bucket by bucket. */
  nodes(): Node[] {
    return this.#ctx.table.nodes();
  }

  /**
   * What the table knows about each of its nodes, bucket by bucket (a snapshot, for diagnostics
   * and simulations): bucket index, when it was added, its last revalidation pong, consecutive
   * failed revalidations and findnode queries, liveness checks, validated-live state and
   * revalidation list. Replacements are not included.
   * @example
   * ```ts
   * const live = node.tableEntries().filter((e) => e.isValidatedLive).length;
   * ```
   */
  tableEntries(): TableNodeInfo[] {
    return this.#ctx.table.entries();
  }

  /**
   * Pings `node` and waits for its Pong (which also renews our endpoint proof of it).
   * @throws {DiscoveryError} `NO_ENDPOINT`, `TIMEOUT`, `CLOSED`; `signal.reason` when aborted
   */
  ping(node: Node, options: SignalOptions = {}): Promise<PingResult> {
    return ping(this.#ctx, node, options.signal);
  }

  /**
   * Requests `node`'s current record (EIP-868), bonding first if needed. The record must be the
   * node's own and carry an IP the node may tell us about.
   * @throws {DiscoveryError} `BAD_RECORD`, `NO_ENDPOINT`, `TIMEOUT`, `CLOSED`; `signal.reason`
   */
  requestEnr(node: Node, options: SignalOptions = {}): Promise<Node> {
    return requestEnr(this.#ctx, node, options.signal);
  }

  /**
   * Runs a lookup for `targetPublicKey` (64 bytes; a random key when omitted) and yields each
   * node as the lookup sees it, unsorted. On an empty table it first runs (or joins) a refresh,
   * the bootstrap from seeds and bootnodes, and starts once a node enters the table or the
   * refresh ends: it ends, empty, when there is nothing to ask. The iteration ends when the lookup converges, when `signal`
   * aborts (throwing its reason) or when the service stops.
   */
  async *lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncGenerator<Node> {
    const target = targetPublicKey ?? this.#ctx.random.bytes(64);
    assertBytes('targetPublicKey', target, 64);
    const signal = withServiceSignal(this.#ctx, options.signal);
    yield* untilStopped(this.#ctx.signal, lookupNodes(this.#ctx, this.#bootstrap, target, signal));
  }

  /**
   * Runs a lookup for `targetPublicKey` (64 bytes; a random key when omitted) to completion and
   * resolves its statistics: the closest nodes found (`result`, nearest first), queries,
   * replies, failures, timeouts, nodes seen and hops. On an empty table it bootstraps first,
   * as {@link DiscoveryV4.lookup}. The same statistics go to the `lookup:done` event.
   * @throws `signal.reason` when aborted; {@link DiscoveryError} `CLOSED` when stopped
   * @example
   * ```ts
   * const { result, hops, queried } = await node.lookupClosest(targetKey, { signal });
   * ```
   */
  async lookupClosest(
    targetPublicKey?: Uint8Array,
    options: SignalOptions = {},
  ): Promise<LookupStats> {
    const target = targetPublicKey ?? this.#ctx.random.bytes(64);
    assertBytes('targetPublicKey', target, 64);
    if (this.#ctx.signal.aborted) throw new DiscoveryError('CLOSED', 'discovery stopped');
    const signal = withServiceSignal(this.#ctx, options.signal);
    return untilStoppedPromise(
      this.#ctx.signal,
      lookupStats(this.#ctx, this.#bootstrap, target, signal),
    );
  }

  /**
   * An endless stream of nodes from successive random lookups (geth `RandomNodes`), for the
   * dialer: at most one lookup start per second, each lookup's nodes as they are found. The
   * iteration ends quietly when `signal` aborts or the service stops.
   */
  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    const signal = withServiceSignal(this.#ctx, options.signal);
    return serviceRandomNodes(this.#ctx, this.#tableReady, signal);
  }

  /**
   * Finds `node`'s current record: asks it directly, then a newer table entry, then looks up its
   * key (geth `Resolve`). Resolves `undefined` when the node cannot be found (geth returns the
   * argument unchanged); a found node that does not answer ENR requests is returned as found.
   * @throws `signal.reason` when aborted; {@link DiscoveryError} `CLOSED` when stopped
   */
  async resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    if (!(node instanceof Node)) throw new TypeError(`node: expected Node, got ${typeof node}`);
    if (this.#ctx.signal.aborted) throw new DiscoveryError('CLOSED', 'discovery stopped');
    const signal = withServiceSignal(this.#ctx, options.signal);
    return untilStoppedPromise(
      this.#ctx.signal,
      resolveNode(this.#ctx, this.#bootstrap, node, signal),
    );
  }

  /** What a lookup on an empty table waits for: a node, or the end of a refresh it starts. */
  readonly #bootstrap = (signal: AbortSignal): Promise<void> =>
    nodeOrRefreshed(this.#ctx.table, () => this.#refresher.refresh(), signal);

  /** Waits until the table has a node; the first refresh is what normally fills it. */
  readonly #tableReady = (signal: AbortSignal): Promise<void> =>
    waitForTable(this.#ctx.table, this.#refresher.initDone, signal);
}
