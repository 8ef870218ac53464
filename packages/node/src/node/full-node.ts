/**
 * `FullNode`: discovery v4 and v5 (one UDP port), the devp2p server and eth/68 to eth/72 over a datadir, the sample
 * full node behind `ethp2p node` (geth `node.Node` + `eth.Ethereum`, without sync or EVM).
 * @module
 */
import { join } from 'node:path';
import { type Clock, type Logger, safeEmit, silentLogger, systemClock } from '@ethp2p/base';
import { MemoryTxPool } from '@ethp2p/chain';
import { publicKey } from '@ethp2p/crypto';
import type { DiscoveryV4, DiscoveryV5, UdpSocket } from '@ethp2p/discovery';
import {
  LocalNode,
  type Node,
  type NodeDatabase,
  nodeIdFromPublicKey,
  nodeIdToHex,
} from '@ethp2p/enode';
import {
  type BlockImporter,
  type ChainReader,
  ETH_ENR_KEY,
  ethEnrEntry,
  forkId,
  PeerSet,
  ServeBudget,
} from '@ethp2p/eth';
import { IngressBudget } from '@ethp2p/rlpx';
import type { DialFailedEvent, Server } from '@ethp2p/server';
import { EventEmitter } from 'eventemitter3';
import { createDashboardRoute } from '../dashboard/route.ts';
import { METRICS_PATHS, type MetricsServer, serveNodeMetrics } from '../metrics/metrics-server.ts';
import { ExtIp } from '../nat/extip.ts';
import { createNat, parseNat } from '../nat/parse.ts';
import { PortMapper } from '../nat/port-mapper.ts';
import { BAD_CHAIN_BAN_MS } from '../sync/constants.ts';
import { Syncer } from '../sync/syncer.ts';
import {
  createDiscovery,
  createServer,
  type NodeParts,
  openNodeDatabase,
  type ServerParts,
  wireServer,
} from './components.ts';
import { DEFAULT_LISTEN_IP, DEFAULT_PORT, type FullNodeOptions } from './config.ts';
import {
  CHAINDATA_DIR,
  DatadirChanges,
  datadirNodeKey,
  ensureDatadir,
  NODEKEY_FILE,
  NODES_DIR,
} from './datadir.ts';
import { NodeError } from './errors.ts';
import { LateBans } from './late-bans.ts';
import { DatadirLock } from './lock.ts';
import { bindDiscoverySocket, checkTcpPort, listenError } from './ports.ts';
import { type RpcServers, startRpcServers } from './rpc-servers.ts';
import {
  countClients,
  type LastDialError,
  type NodeStatus,
  STATUS_INTERVAL_MS,
  StatusTicker,
} from './status.ts';

/** Events of {@link FullNode}. */
export interface FullNodeEvents {
  /** Every status interval while running. */
  status: (event: { readonly status: NodeStatus }) => void;
}

type State = 'new' | 'starting' | 'running' | 'stopped';

/**
 * Handling time all eth peers together get per second, in ms: 40% of the thread, so the rest
 * (decompressing what they send, handshakes, discovery) has room when many ask at once.
 */
const SERVE_TIME_PER_SECOND_MS = 400;

/**
 * The sample full node. `start()` locks the datadir (before writing anything to it), loads or
 * creates `nodekey`, opens the node database under `nodes/`, binds UDP (discovery) and TCP
 * (RLPx) and starts discovery (v4 and v5 on the UDP port) and the server with the eth protocols; `stop()` disconnects every
 * peer with ClientQuitting, stops discovery, closes the database and releases the lock.
 *
 * Ownership: the node owns every component it creates; they are reachable for inspection
 * (`server`, `discovery`, `peerSet`, `txPool`, `serveBudget`) but must not be stopped by the
 * caller.
 * @example
 * ```ts
 * const node = new FullNode({ datadir, chain: networkChain('sepolia'), bootnodes });
 * await node.start();
 * console.log(node.self().enodeUrl());
 * await node.stop();
 * ```
 */
export class FullNode {
  /** `status` every status interval. */
  readonly events: Pick<EventEmitter<FullNodeEvents>, 'on' | 'once' | 'off'>;
  /** The eth peers that finished their Status. */
  readonly peerSet: PeerSet = new PeerSet();
  /** The relay transaction pool. */
  readonly txPool: MemoryTxPool = new MemoryTxPool();
  /** Every eth peer's serve budget, and the rotation their messages are handled in. */
  readonly serveBudget: ServeBudget;
  /**
   * The server's ingress budget: large messages received and not yet handled, and the eth
   * responses not yet written (charged by {@link FullNode.serveBudget}), share its bound.
   */
  readonly ingressBudget: IngressBudget;
  readonly #emitter = new EventEmitter<FullNodeEvents>();
  readonly #options: FullNodeOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  /** Undo steps of `start()`, run in reverse by `stop()` or a failed start. */
  readonly #closers: (() => Promise<void> | void)[] = [];
  #state: State = 'new';
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #server: Server | undefined;
  #discovery: DiscoveryV4 | undefined;
  #metricsServer: MetricsServer | undefined;
  #discoveryV5: DiscoveryV5 | undefined;
  #lastDialError: LastDialError | undefined;
  #rpc: RpcServers | undefined;
  #db: NodeDatabase | undefined;
  /** The chain served: `options.chain`, or the one `options.openChain` opened. */
  #chain: ChainReader;
  #syncer: Syncer | undefined;
  /** The head number and the clock's time at the previous status, for blocks/s. */
  #lastRate: { readonly head: bigint; readonly at: number } | undefined;

  /**
   * Nothing is opened until {@link FullNode.start}.
   * @throws {TypeError} for `dashboard` without `http`
   */
  constructor(options: FullNodeOptions) {
    if (options.dashboard && options.http === undefined) {
      throw new TypeError('dashboard: expected the http option it is served on, got none');
    }
    this.#options = options;
    this.#chain = options.chain;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? silentLogger;
    this.ingressBudget = new IngressBudget(options.ingressBudget);
    this.serveBudget = new ServeBudget({
      pool: this.ingressBudget,
      totalTimePerSecondMs: SERVE_TIME_PER_SECOND_MS,
      ...options.serveBudget,
      clock: this.#clock,
    });
    this.events = this.#emitter;
  }

  /** The datadir. */
  get datadir(): string {
    return this.#options.datadir;
  }

  /** The chain served. */
  get chain(): ChainReader {
    return this.#chain;
  }

  /** The devp2p server, once started. */
  get server(): Server | undefined {
    return this.#server;
  }

  /** Discovery v4, once started (undefined when it is off). */
  get discovery(): DiscoveryV4 | undefined {
    return this.#discovery;
  }

  /**
   * The Prometheus endpoint (`http://127.0.0.1:6060/debug/metrics/prometheus`; `/metrics` works
   * too) once started with the `metrics` option, with the bound port; undefined otherwise.
   */
  get metricsUrl(): string | undefined {
    const m = this.#metricsServer;
    return m === undefined ? undefined : `${m.url}${METRICS_PATHS[0]}`;
  }

  /** The network ID announced in Status (the option, else the chain's). */
  get networkId(): bigint {
    return this.#options.networkId ?? this.#chain.config.networkId;
  }

  /** `http://host:port` of JSON-RPC over HTTP once started with `http`, with the bound port. */
  get httpUrl(): string | undefined {
    return this.#rpc?.httpUrl;
  }

  /** `ws://host:port` of JSON-RPC over WebSocket once started with `ws`, with the bound port. */
  get wsUrl(): string | undefined {
    return this.#rpc?.wsUrl;
  }

  /** Discovery v5 on the same UDP port, once started (undefined when it is off). */
  get discoveryV5(): DiscoveryV5 | undefined {
    return this.#discoveryV5;
  }

  /** `http://host:port/`, the dashboard's page, once started with `dashboard`. */
  get dashboardUrl(): string | undefined {
    const url = this.#rpc?.httpUrl;
    return url === undefined || !this.#options.dashboard ? undefined : `${url}/`;
  }

  /** Whether the node runs (between a successful `start()` and `stop()`). */
  get running(): boolean {
    return this.#state === 'running';
  }

  /**
   * This node: its signed record with the bound ports.
   * @throws {NodeError} `CLOSED` before `start()` resolved
   */
  self(): Node {
    if (this.#server === undefined || this.#state !== 'running') {
      throw new NodeError('CLOSED', 'node is not running');
    }
    return this.#server.self();
  }

  /** The syncer, once started with a chain that imports blocks (undefined otherwise). */
  get syncer(): Syncer | undefined {
    return this.#syncer;
  }

  /** A snapshot for the status line; blocks/s is measured since the previous call. */
  status(): NodeStatus {
    const peers = this.#server?.peers() ?? [];
    const inbound = peers.filter((p) => p.inbound).length;
    const dials = this.#server?.dialMetrics;
    const metrics = this.#server?.metrics;
    return {
      peers: peers.length,
      inbound,
      outbound: peers.length - inbound,
      clients: countClients(peers.map((p) => p.name)),
      table: this.#discovery?.nodes().length,
      dials: dials?.attempts ?? 0,
      dialsSucceeded: dials?.succeeded ?? 0,
      bytesIn: metrics?.ingressBytes ?? 0,
      bytesOut: metrics?.egressBytes ?? 0,
      lastDialError: this.#lastDialError,
      dbWriteFailures: this.#db?.writeFailures ?? 0,
      head: { number: this.chain.head().number, hash: this.chain.head().hash },
      sync: this.#syncStatus(),
    };
  }

  #syncStatus(): NodeStatus['sync'] {
    const progress = this.#syncer?.progress();
    if (progress === undefined) return undefined;
    // Measured by the head, which moves block by block, not by the syncer's count of
    // imported blocks, which grows only when a whole batch is in.
    const now = this.#clock.now();
    const last = this.#lastRate;
    this.#lastRate = { head: progress.head.number, at: now };
    const moved = progress.head.number - (last?.head ?? progress.head.number);
    const blocks = moved > 0n ? Number(moved) : 0;
    if (progress.target === undefined && blocks === 0) return undefined;
    const seconds = (now - (last?.at ?? now)) / 1000;
    return { target: progress.target, blocksPerSecond: seconds > 0 ? blocks / seconds : 0 };
  }

  /**
   * Starts the node. Calling it again while starting or running returns the same promise.
   * @throws {NodeError} `DATADIR_LOCKED`, `DATADIR`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED`;
   *   whatever was opened is closed again, the lock released, and whatever this start created
   *   on disk (the datadir, `nodekey`, `nodes/`) removed again
   */
  start(): Promise<void> {
    if (this.#state === 'stopped') {
      return Promise.reject(new NodeError('CLOSED', 'node is stopped'));
    }
    this.#starting ??= this.#start().catch(async (err: unknown) => {
      await this.#close();
      this.#state = 'stopped';
      throw err;
    });
    return this.#starting;
  }

  /**
   * Stops the node: peers get Disconnect(ClientQuitting), discovery stops, the database closes
   * and the lock is released. Idempotent; a stopped node cannot start again.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const starting = this.#starting;
      this.#state = 'stopped';
      await starting?.catch(() => undefined);
      await this.#close();
    })();
    return this.#stopping;
  }

  async #close(): Promise<void> {
    while (this.#closers.length > 0) {
      const close = this.#closers.pop() as () => Promise<void> | void;
      try {
        await close();
      } catch (err) {
        this.#log.error('shutdown step failed', { err: String(err) });
      }
    }
  }

  #checkStopping(): void {
    if (this.#state === 'stopped') throw new NodeError('CLOSED', 'node stopped while starting');
  }

  async #start(): Promise<void> {
    this.#state = 'starting';
    const o = this.#options;
    if (o.nat !== undefined) parseNat(o.nat);
    // A failed start leaves the disk as it found it: what it created is removed again.
    const changes = new DatadirChanges();
    let started = false;
    changes.created(await ensureDatadir(o.datadir));
    const lock = await DatadirLock.acquire(o.datadir).catch(async (err: unknown) => {
      await changes.undo();
      throw err;
    });
    this.#closers.push(() => lock.release());
    this.#closers.push(() => (started ? undefined : changes.undo()));
    this.#checkStopping();
    // Bind before the key and the database are touched: a port in use or a bad listen IP
    // leaves the datadir as it was.
    const listenIp = o.listenIp ?? DEFAULT_LISTEN_IP;
    const port = o.port ?? DEFAULT_PORT;
    let socket: UdpSocket | undefined;
    if (o.discovery ?? true) {
      const bound = await bindDiscoverySocket(listenIp, o.discoveryPort ?? port, this.#log);
      this.#closers.push(() => bound.close());
      socket = bound;
    }
    // With port 0, TCP takes the port UDP got when it is free, so the two match.
    const matchUdp = port === 0 && o.discoveryPort === undefined && socket !== undefined;
    const tcpPort = await checkTcpPort(listenIp, matchUdp ? (socket?.local.port ?? 0) : port).catch(
      (err: unknown) => {
        if (!matchUdp || !(err instanceof NodeError) || err.code !== 'PORT_IN_USE') throw err;
        return checkTcpPort(listenIp, 0);
      },
    );
    this.#checkStopping();
    const { key: privateKey, created } =
      o.privateKey === undefined
        ? await changes.create(join(o.datadir, NODEKEY_FILE), () => datadirNodeKey(o.datadir))
        : { key: o.privateKey, created: false };
    const nodeId = nodeIdToHex(nodeIdFromPublicKey(publicKey(privateKey)));
    if (created) this.#log.info('created a new node key', { datadir: o.datadir, nodeId });
    else this.#log.debug('loaded the node key', { datadir: o.datadir, nodeId });
    if (o.openChain !== undefined) {
      const open = o.openChain;
      const path = join(o.datadir, CHAINDATA_DIR);
      const chain = await changes.create(path, () => open(path));
      this.#closers.push(() => chain.close());
      this.#chain = chain;
      this.#log.info('chain opened', { path, head: chain.head().number.toString() });
      this.#checkStopping();
    }
    const options = { ...o, chain: this.#chain };
    const parts: NodeParts = { options, privateKey, clock: this.#clock, log: this.#log };
    const db = await changes.create(join(o.datadir, NODES_DIR), () => openNodeDatabase(parts));
    this.#closers.push(() => db.close());
    this.#db = db;
    const localNode = await LocalNode.create({
      privateKey,
      db,
      clock: this.#clock,
      logger: this.#log,
    });
    this.#closers.push(() => localNode.close());
    this.#checkStopping();
    localNode.setFallbackIp(isUnspecified(listenIp) ? '127.0.0.1' : listenIp);
    const chain = this.#chain;
    const head = chain.head();
    localNode.set(ETH_ENR_KEY, {
      rlp: ethEnrEntry(forkId(chain.config, { number: head.number, time: head.time })),
    });
    // Discovery is built before the server: it asks the server's ban list once there is one.
    const bans = new LateBans();
    if (socket !== undefined) {
      const { v4, v5 } = await createDiscovery(parts, localNode, db, socket, bans);
      // v4 owns the shared socket: it stops last.
      if (v4 !== undefined) this.#closers.push(() => v4.stop());
      if (v5 !== undefined) this.#closers.push(() => v5.stop());
      this.#discovery = v4;
      this.#discoveryV5 = v5;
    }
    this.#checkStopping();
    const syncer = this.#createSyncer();
    this.#server = await this.#startServer(
      {
        ...parts,
        localNode,
        discovery: { v4: this.#discovery, v5: this.#discoveryV5 },
        peerSet: this.peerSet,
        txPool: this.txPool,
        serveBudget: this.serveBudget,
        ingressBudget: this.ingressBudget,
        banStore: db,
      },
      listenIp,
      tcpPort,
    );
    bans.bind(this.#server.reputation);
    if (syncer !== undefined) this.#startSyncer(syncer);
    this.#checkStopping();
    if (o.metrics !== undefined) await this.#startMetrics(o.metrics);
    this.#checkStopping();
    this.#startNat(localNode, this.#server.listenPort, socket?.local.port);
    await this.#discoveryV5?.start();
    await this.#discovery?.start();
    await this.#startRpc(this.#server);
    this.#startTicker();
    started = true;
    this.#state = 'running';
    this.#log.info('node started', {
      nodeId,
      listen: this.#server.listenAddress,
      network: chain.config.name ?? String(o.networkId ?? chain.config.networkId),
      head: chain.head().number,
    });
  }

  /** A syncer when the chain imports blocks and `sync` is not off. */
  #createSyncer(): Syncer | undefined {
    const chain = this.#chain as ChainReader & Partial<BlockImporter>;
    if (this.#options.sync === false || typeof chain.importBlocks !== 'function') return undefined;
    return new Syncer({
      chain: chain as ChainReader & BlockImporter,
      peerSet: this.peerSet,
      log: this.#log,
      // The server's reputation owns bans: it drops the peer, refuses it and never dials it.
      ban: (peer, why) => {
        this.#server?.reputation.ban(
          { kind: 'id', id: peer.id },
          { durationMs: BAD_CHAIN_BAN_MS, reason: `bad chain data: ${why}` },
        );
      },
    });
  }

  /** Starts the syncer (stopped before the server). */
  #startSyncer(syncer: Syncer): void {
    syncer.start();
    this.#syncer = syncer;
    this.#lastRate = { head: this.chain.head().number, at: this.#clock.now() };
    this.#closers.push(() => syncer.stop());
  }

  async #startServer(parts: ServerParts, listenIp: string, port: number): Promise<Server> {
    const server = createServer(parts, listenIp, port);
    const unwire = wireServer(server, parts);
    const onDialFailed = ({ node, error }: DialFailedEvent): void => {
      this.#lastDialError = {
        node: node.enodeUrl(),
        error: error instanceof Error ? error.message : String(error),
      };
    };
    server.events.on('dial:failed', onDialFailed);
    const undo = (): void => {
      server.events.off('dial:failed', onDialFailed);
      unwire();
    };
    try {
      await server.start();
    } catch (err) {
      // A server whose start failed opened nothing (its listener is the last step).
      undo();
      throw listenError(err, 'TCP', listenIp, port);
    }
    this.#closers.push(async () => {
      this.peerSet.close();
      await server.stop();
      undo();
    });
    return server;
  }

  /** Serves the metrics of the server and discovery. @throws {NodeError} */
  async #startMetrics(options: NonNullable<FullNodeOptions['metrics']>): Promise<void> {
    const sources = {
      server: () => this.#server,
      discovery: () => this.#discovery,
      discoveryV5: () => this.#discoveryV5,
      ethServe: () => this.serveBudget,
    };
    const server = await serveNodeMetrics(sources, options, this.#log);
    this.#closers.push(() => server.close());
    this.#metricsServer = server;
    this.#log.info('metrics server started', { url: this.metricsUrl });
  }

  /** Maps the ports and feeds the external IP to the record (extip is pinned by the server). */
  #startNat(localNode: LocalNode, tcpPort: number | undefined, udpPort: number | undefined): void {
    const o = this.#options;
    const nat = o.natInterface ?? createNat(parseNat(o.nat ?? 'none'), { clock: this.#clock });
    if (nat === undefined || (o.natInterface === undefined && nat instanceof ExtIp)) return;
    const mapper = new PortMapper({
      nat,
      localNode,
      tcpPort,
      udpPort,
      clock: this.#clock,
      logger: this.#log,
    });
    mapper.start();
    this.#closers.push(() => mapper.stop());
  }

  async #startRpc(server: Server): Promise<void> {
    const { http, ws, dashboard } = this.#options;
    if (http === undefined && ws === undefined) return;
    const route =
      http === undefined || !dashboard
        ? undefined
        : createDashboardRoute({
            server,
            discovery: this.#discovery,
            chain: this.#chain,
            clock: this.#clock,
            logger: this.#log,
            ...(dashboard === true ? {} : dashboard),
          });
    const routes = [...(http?.routes ?? []), ...(route === undefined ? [] : [route])];
    const rpc = await startRpcServers(
      this,
      {
        ...(http === undefined ? {} : { http: { ...http, routes } }),
        ...(ws === undefined ? {} : { ws }),
      },
      this.#log,
    ).catch((err: unknown) => {
      route?.close();
      throw err;
    });
    this.#rpc = rpc;
    this.#closers.push(() => {
      this.#rpc = undefined;
      return rpc.close();
    });
    if (route !== undefined) {
      // Closed first: the HTTP server's close waits for the dashboard's upgraded sockets.
      this.#closers.push(() => route.close());
      this.#log.info('dashboard enabled', { url: this.dashboardUrl });
    }
    this.#checkStopping();
  }

  #startTicker(): void {
    const interval = this.#options.statusIntervalMs ?? STATUS_INTERVAL_MS;
    if (interval === 0) return;
    const ticker = new StatusTicker(this.#clock, interval, () => {
      safeEmit(this.#emitter, 'status', { status: this.status() }, (err) => {
        this.#log.warn('status listener failed', { err: String(err) });
      });
    });
    ticker.start();
    this.#closers.push(() => ticker.stop());
  }
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
