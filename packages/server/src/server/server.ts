/**
 * `Server`: the devp2p server. It listens, dials through the dial scheduler, takes every
 * connection through the checkpoints and Hello, runs the peers and reports them
 * (geth `p2p/server.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */
import { safeEmit, TaskGroup } from '@ethp2p/base';
import { equalBytes, hexToBytes } from '@ethp2p/crypto';
import { type LocalNode, Node, type NodeId, nodeIdToHex, normalizeIp } from '@ethp2p/enode';
import { IngressBudget, type IngressBudgetStats, type RlpxConnection } from '@ethp2p/rlpx';
import { EventEmitter } from 'eventemitter3';
import { capsOf } from '../caps.ts';
import { DialScheduler } from '../dial/scheduler.ts';
import type { DialMetrics } from '../dial/types.ts';
import { PeerError } from '../errors.ts';
import { Peer, type PeerEnd } from '../peer/peer.ts';
import { TimerWheel } from '../peer/timer-wheel.ts';
import type { Protocol } from '../protocol.ts';
import type { Ban } from '../reputation/ban-list.ts';
import { changeForEnd, REPUTATION_CHANGE } from '../reputation/changes.ts';
import { Reputation } from '../reputation/reputation.ts';
import { BASE_PROTOCOL_VERSION } from '../wire/constants.ts';
import { DiscReason } from '../wire/disc-reason.ts';
import type { Hello } from '../wire/hello.ts';
import { resolveServerConfig, type ServerConfig, type ServerOptions } from './config.ts';
import {
  type AcceptedConnection,
  acceptInbound,
  dialNode,
  type SetupContext,
} from './connection-setup.ts';
import { ServerError } from './errors.ts';
import type { ServerEvents } from './events.ts';
import { InboundThrottle } from './inbound-throttle.ts';
import {
  buildNodeInfo,
  buildPeerInfo,
  formatHostPort,
  type NodeInfo,
  type PeerInfo,
} from './info.ts';
import { type InboundMetrics, Listener } from './listener.ts';
import { FALLBACK_IP, prepareLocalNode } from './local-node.ts';
import { type MessageCounters, ServerCounters, type ServerMetrics } from './metrics.ts';
import { type PeerEntry, PeerTable } from './peer-table.ts';

type State = 'new' | 'starting' | 'running' | 'stopped';

/**
 * The devp2p server. It owns the listener, the dial scheduler and the peer map; public methods
 * change state synchronously (or hand it to the scheduler), and every connection and peer is a
 * tracked task that `stop()` awaits.
 *
 * Connections, inbound (after the listener's pending limit, NetRestrict and throttle) or
 * dialed, go: RLPx handshake → `posthandshake` (self, already connected, too many peers unless
 * trusted or static-dialed, inbound over its share) → Hello → `addpeer` (UselessPeer when no
 * protocol matches; then posthandshake again) → a running {@link Peer}.
 *
 * @example
 * ```ts
 * const server = new Server({ privateKey, protocols: [myProtocol], listenAddress: '0.0.0.0:30303' });
 * server.events.on('peer:added', ({ peer }) => console.log('peer', peer.name));
 * await server.start();
 * server.addPeer(Node.parse('enode://...@10.0.0.2:30303'));
 * await server.stop();
 * ```
 */
export class Server {
  /**
   * `peer:added`, `peer:removed`, `peer:msg` (with `enableMsgEvents`), `connection:failed` and
   * `dial:failed`.
   */
  readonly events: Pick<EventEmitter<ServerEvents>, 'on' | 'once' | 'off'>;
  /**
   * Scores per node ID and IP, and the ban list (persisted in `banStore`). Consulted before any
   * handshake work: a banned IP's socket is closed unread, a banned ID is refused right after
   * the RLPx handshake and never dialed. Fed by the server (protocol breaches, timeouts, failed
   * dials, remote drops) and by protocols (`report` bad or useless responses).
   */
  readonly reputation: Reputation;
  readonly #config: ServerConfig;
  readonly #emitter = new EventEmitter<ServerEvents>();
  readonly #controller = new AbortController();
  readonly #table: PeerTable;
  /**
   * Hex IDs of the trusted nodes: the one record of trust. The checkpoints and `peersInfo` ask
   * it when they need to know, so nothing else holds a copy to keep in sync.
   */
  readonly #trusted = new Set<string>();
  /** Every connection and peer task: nobody awaits them but `stop()`. */
  readonly #tasks: TaskGroup;
  readonly #scheduler: DialScheduler;
  readonly #hello: Hello;
  readonly #setup: SetupContext;
  /** Traffic and connection counters: changed by the connection setup, the peers and #peerEnded. */
  readonly #counters: ServerCounters;
  readonly #ingressBudget: IngressBudget;
  /** Every per-peer deadline (handshakes, reads, writes, pings) runs on this one timer. */
  readonly #wheel: TimerWheel;
  #state: State = 'new';
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #listener: Listener | undefined;
  #localNode: LocalNode | undefined;
  #ownsLocalNode = false;

  /**
   * Checks the options; nothing is opened until {@link Server.start}.
   * @throws {TypeError|RangeError} on invalid options (see {@link resolveServerConfig})
   */
  constructor(options: ServerOptions) {
    const config = resolveServerConfig(options);
    this.#config = config;
    this.#wheel = new TimerWheel(config.clock);
    this.#tasks = new TaskGroup({
      onError: (err) => config.logger.error('server task failed', { err: String(err) }),
    });
    this.events = this.#emitter;
    this.#table = new PeerTable({
      selfId: nodeIdToHex(config.id),
      maxPeers: config.maxPeers,
      maxInboundConns: config.maxInboundConns,
    });
    for (const node of config.trustedNodes) this.#trusted.add(nodeIdToHex(node.id));
    this.#counters = new ServerCounters(config.protocols);
    this.#ingressBudget =
      config.ingressBudget ??
      new IngressBudget({
        totalBytes: config.ingressBudgetBytes,
        thresholdBytes: config.ingressThresholdBytes,
      });
    this.#hello = {
      version: BASE_PROTOCOL_VERSION,
      name: config.name,
      caps: capsOf(config.protocols),
      listenPort: 0,
      id: config.publicKey,
    };
    this.reputation = new Reputation({
      clock: config.clock,
      logger: config.logger,
      ...(config.banStore === undefined ? {} : { banStore: config.banStore }),
      ...(config.banDurationMs === undefined ? {} : { banDurationMs: config.banDurationMs }),
      banLanIps: config.banLanIps,
      isPrivileged: (idHex) => this.#isPrivileged(idHex),
      onBan: (ban) => this.#dropBanned(ban),
    });
    this.#scheduler = new DialScheduler({
      self: config.id,
      maxDialedPeers: config.maxDialedConns,
      dialTimeoutMs: config.dialTimeoutMs,
      ...config.dialer,
      ...(config.netRestrict === undefined ? {} : { netRestrict: config.netRestrict }),
      ...(config.nodeSource === undefined ? {} : { source: config.nodeSource }),
      staticNodes: config.staticNodes,
      reputation: {
        isBanned: (key) => this.reputation.isBannedId(hexToBytes(key)),
        score: (key) => this.reputation.scoreOfHex(key),
      },
      dial: (node, flags, signal) => {
        const dialing = dialNode(this.#setup, node, flags, signal).catch((err: unknown) => {
          if (err instanceof PeerError && err.reason === DiscReason.AlreadyConnected) {
            this.#scheduler.dialLostRace(node);
          }
          throw err;
        });
        // Tracked for stop(); a failed dial is the scheduler's to report, not a task failure.
        void this.#tasks.spawn(dialing.catch(() => {}));
        return dialing;
      },
      clock: config.clock,
      random: config.random,
      logger: config.logger,
    });
    this.#scheduler.events.on('dial:done', ({ node, static: isStatic, error }) => {
      if (error === undefined || this.#signal.aborted) return;
      // A refusal after the RLPx handshake was judged by its reason already.
      if (!(error instanceof PeerError)) {
        this.reputation.report(REPUTATION_CHANGE.failedToConnect, { id: node.id });
      }
      this.#emit('dial:failed', { node, static: isStatic, error });
    });
    this.#setup = this.#setupContext();
  }

  get #signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Our 64-byte public key. */
  get publicKey(): Uint8Array {
    return this.#config.publicKey;
  }

  /** The client name sent in Hello. */
  get name(): string {
    return this.#config.name;
  }

  /** The peer limit (trusted peers may exceed it). */
  get maxPeers(): number {
    return this.#config.maxPeers;
  }

  /** The registered protocols. */
  get protocols(): readonly Protocol[] {
    return this.#config.protocols;
  }

  /** Our node ID. */
  get id(): NodeId {
    return this.#config.id;
  }

  /** Whether the server is running (between `start()` and `stop()`). */
  get running(): boolean {
    return this.#state === 'running';
  }

  /** The bound TCP port (the OS's pick when port 0 was asked for); undefined when not listening. */
  get listenPort(): number | undefined {
    return this.#listener?.port;
  }

  /** The bound `host:port` (`[v6]:port`), or undefined when not listening. */
  get listenAddress(): string | undefined {
    const l = this.#listener;
    return l === undefined ? undefined : formatHostPort(l.host, l.port);
  }

  /** The dial scheduler's counters. */
  get dialMetrics(): DialMetrics {
    return this.#scheduler.metrics;
  }

  /**
   * A snapshot of the traffic and connection counters (geth `p2p/metrics.go`): peers in and
   * out, bytes on the wire, dials and serves with their error classes, handshake durations and
   * messages per protocol, version and code. Cheap to read; a scrape reads it each time.
   */
  get metrics(): ServerMetrics {
    const live = [...this.#table.entries()].map((e) => ({
      inbound: e.inbound,
      addedAt: e.addedAt,
      bytesRead: e.conn.bytesRead,
      bytesWritten: e.conn.bytesWritten,
    }));
    return this.#counters.snapshot(live, this.#config.clock.now());
  }

  /**
   * The listener's counters: admitted sockets, refusals by reason (pending limit, per-IP cap,
   * NetRestrict, throttle), evictions and idle-read timeouts; all zero when not listening.
   */
  get inboundMetrics(): InboundMetrics {
    return this.#listener?.metrics ?? NO_INBOUND;
  }

  /**
   * The ingress budget shared by all connections: bytes of large incoming messages held now and
   * at most, waits for room (see `ingressBudgetBytes`).
   */
  get ingressMetrics(): IngressBudgetStats {
    return this.#ingressBudget.stats();
  }

  /**
   * Prepares the local record, opens the listener (if any) and starts dialing. Calling it
   * again while starting or running returns the same promise.
   * @throws {ServerError} `LISTEN_FAILED` if the address cannot be bound; `CLOSED` after (or
   *   during) `stop()`
   * @throws {TypeError} if the `localNode` option belongs to another key
   */
  start(): Promise<void> {
    if (this.#state === 'stopped') {
      return Promise.reject(new ServerError('CLOSED', 'server is stopped'));
    }
    this.#starting ??= this.#start().catch((err: unknown) => {
      this.#starting = undefined;
      if (this.#state === 'starting') this.#state = 'new';
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    this.#state = 'starting';
    const config = this.#config;
    const prepared = await prepareLocalNode({
      privateKey: config.privateKey,
      localNode: config.localNode,
      listenHost: config.listen?.host,
      listenPort: undefined,
      externalIp: config.externalIp,
      clock: config.clock,
      logger: config.logger,
    });
    if (!equalBytes(prepared.localNode.id, config.id)) {
      throw new TypeError('localNode: expected the record of privateKey');
    }
    this.#localNode = prepared.localNode;
    this.#ownsLocalNode = prepared.owned;
    await this.#loadBans();
    this.#throwIfStopped();
    if (config.listen !== null) {
      const listener = await this.#openListener(config);
      if (this.#isStopped()) {
        await listener.close();
        await listener.closed();
        this.#throwIfStopped();
      }
      this.#listener = listener;
      prepared.localNode.set('tcp', listener.port);
    }
    this.#state = 'running';
    if (!config.noDial) this.#scheduler.start();
    // The node ID (keccak256 of the public key), labelled so it is not mistaken for the enode's key.
    config.logger.info('server started', {
      listen: this.listenAddress,
      nodeId: nodeIdToHex(this.id),
    });
  }

  /** Loads the persisted bans; a store that fails is logged, and the server starts without them. */
  async #loadBans(): Promise<void> {
    try {
      const loaded = await this.reputation.load();
      if (loaded > 0) this.#config.logger.info('loaded bans', { count: loaded });
    } catch (err) {
      this.#config.logger.warn('cannot load bans', { err: String(err) });
    }
  }

  /** Trusted or static: capped penalties, never banned by score. */
  #isPrivileged(idHex: string): boolean {
    return this.#trusted.has(idHex) || this.#scheduler.isStatic(idHex);
  }

  /**
   * Drops the connected peers a new ban matches: the node, or every peer from the IP that is
   * not trusted or static.
   */
  #dropBanned(ban: Ban): void {
    for (const entry of this.#table.entries()) {
      const idHex = nodeIdToHex(entry.peer.id);
      const hit =
        ban.kind === 'id'
          ? idHex === nodeIdToHex(ban.id)
          : !this.#isPrivileged(idHex) && normalizeIp(entry.conn.remoteAddress ?? '') === ban.ip;
      if (hit) entry.peer.disconnect(DiscReason.Requested);
    }
  }

  /** A method, so that TypeScript does not narrow the state across awaits. */
  #isStopped(): boolean {
    return this.#state === 'stopped';
  }

  #throwIfStopped(): void {
    if (this.#isStopped()) throw new ServerError('CLOSED', 'server stopped while starting');
  }

  /**
   * Stops: no more connections; every peer gets Disconnect(ClientQuitting); dials and
   * handshakes are aborted; the listener closes; resolves once every task has ended, every
   * socket is closed and no timer is left. Idempotent; a stopped server cannot start again.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopped';
    // A start in progress sees the state and closes what it opened.
    await this.#starting?.catch(() => {});
    this.#controller.abort(new ServerError('CLOSED', 'server is stopping'));
    const listener = this.#listener?.close();
    const scheduler = this.#scheduler.stop();
    for (const entry of this.#table.entries()) entry.peer.disconnect(DiscReason.ClientQuitting);
    await Promise.allSettled([listener, scheduler]);
    await this.#tasks.wait();
    await this.#listener?.closed();
    await this.reputation.flush();
    if (this.#ownsLocalNode) await this.#localNode?.close();
    this.#config.logger.info('server stopped');
  }

  /** The connected peers. */
  peers(): Peer[] {
    return [...this.#table.entries()].map((e) => e.peer);
  }

  /** How many peers are connected. */
  peerCount(): number {
    return this.#table.size;
  }

  /**
   * Adds a static node: it is dialed, redialed whenever it drops, and exempt from the peer
   * limit when we dial it.
   * @throws {TypeError} if `node` is not a Node
   */
  addPeer(node: Node): void {
    checkNode(node);
    this.#scheduler.addStatic(node);
  }

  /**
   * Removes a static node and disconnects it (Requested) if connected.
   * @throws {TypeError} if `node` is not a Node
   */
  removePeer(node: Node): void {
    checkNode(node);
    this.#scheduler.removeStatic(node);
    this.#table.get(nodeIdToHex(node.id))?.peer.disconnect(DiscReason.Requested);
  }

  /**
   * Adds a trusted node: admitted even when the server is full.
   * @throws {TypeError} if `node` is not a Node
   */
  addTrustedPeer(node: Node): void {
    checkNode(node);
    this.#trusted.add(nodeIdToHex(node.id));
  }

  /**
   * Removes a node from the trusted set (a connected peer stays connected).
   * @throws {TypeError} if `node` is not a Node
   */
  removeTrustedPeer(node: Node): void {
    checkNode(node);
    this.#trusted.delete(nodeIdToHex(node.id));
  }

  /** This node: its signed record once started, else a key-only node with the planned endpoint. */
  self(): Node {
    if (this.#localNode !== undefined) return this.#localNode.node();
    const ip = this.#config.externalIp ?? FALLBACK_IP;
    const port = this.#config.listen?.port;
    return Node.fromPublicKey(this.#config.publicKey, {
      ip,
      ...(port === undefined || port === 0 ? {} : { tcp: port }),
    });
  }

  /** This node as geth's `admin_nodeInfo` shows it. */
  nodeInfo(): NodeInfo {
    return buildNodeInfo({
      node: this.self(),
      name: this.#config.name,
      listenAddr: this.listenAddress ?? '',
      listenPort: this.listenPort ?? 0,
      protocols: this.#config.protocols,
    });
  }

  /** The connected peers as geth's `admin_peers` shows them. */
  peersInfo(): PeerInfo[] {
    return [...this.#table.entries()].map((e) =>
      buildPeerInfo({
        id: e.peer.id,
        node: e.node,
        name: e.peer.name,
        caps: e.peer.caps,
        localAddress: e.peer.localAddress,
        remoteAddress: e.peer.remoteAddress,
        inbound: e.inbound,
        trusted: this.#trusted.has(nodeIdToHex(e.peer.id)),
        static: e.static,
        protocols: e.peer.matched.map((m) => m.protocol),
        traffic: e.peer.traffic,
        rtt: e.peer.rtt,
      }),
    );
  }

  #openListener(config: ServerConfig): Promise<Listener> {
    const listen = config.listen as NonNullable<ServerConfig['listen']>;
    const restrict = config.netRestrict;
    return Listener.open({
      host: listen.host,
      port: listen.port,
      maxPending: config.maxPendingPeers,
      maxPendingPerIp: config.maxPendingPerIp,
      isBannedIp: (ip: string) => this.reputation.isBannedIp(ip),
      idleTimeoutMs: config.handshakeIdleTimeoutMs,
      clock: this.#wheel,
      throttle: new InboundThrottle({ clock: config.clock, windowMs: config.inboundThrottleMs }),
      ...(restrict === undefined ? {} : { allowIp: (ip: string) => restrict.contains(ip) }),
      logger: config.logger,
      onConnection: (socket) => this.#tasks.spawn(acceptInbound(this.#setup, socket, this.#signal)),
    }).catch((err: unknown) => {
      throw new ServerError('LISTEN_FAILED', `cannot listen on ${listen.host}:${listen.port}`, {
        cause: err,
      });
    });
  }

  #setupContext(): SetupContext {
    const config = this.#config;
    return {
      hello: this.#hello,
      protocols: config.protocols,
      table: this.#table,
      clock: this.#wheel,
      logger: config.logger,
      privateKey: config.privateKey,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      ingressBudget: this.#ingressBudget,
      counters: this.#counters,
      isTrusted: (idHex) => this.#trusted.has(idHex),
      isBannedId: (idHex) => {
        const banned = this.reputation.isBannedId(hexToBytes(idHex));
        if (banned) this.reputation.countRefusedId();
        return banned;
      },
      report: (change, id, ip) => {
        if (change !== undefined) {
          this.reputation.report(change, {
            ...(id === undefined ? {} : { id }),
            ...(ip === undefined ? {} : { ip }),
          });
        }
      },
      stopping: () => this.#state !== 'running',
      inboundPending: (id, pending) => {
        if (pending) this.#scheduler.inboundPending(id);
        else this.#scheduler.inboundDone(id);
      },
      launch: (accepted) => this.#launch(accepted),
      failed: (info) => this.#emit('connection:failed', info),
    };
  }

  /** The counters of a protocol's messages: one function for every peer. */
  readonly #countersOf = (protocol: Protocol): MessageCounters | undefined =>
    this.#counters.messages(protocol);

  /** Adds the peer, starts it and reports it; its end is tracked. Synchronous up to `run()`. */
  #launch(accepted: AcceptedConnection): void {
    const config = this.#config;
    const { conn, flags, idHex } = accepted;
    const peer: Peer = new Peer({
      conn,
      remoteHello: accepted.remoteHello,
      matched: accepted.matched,
      inbound: flags.inbound,
      clock: this.#wheel,
      log: config.logger,
      counters: this.#countersOf,
      ...(config.enableMsgEvents
        ? {
            onMsg: (e) => {
              // Nothing is built for a message while no one listens (FullNode always enables it).
              if (this.#emitter.listenerCount('peer:msg') > 0)
                this.#emit('peer:msg', { peer, ...e });
            },
          }
        : {}),
    });
    const now = config.clock.now();
    const entry: PeerEntry = {
      peer,
      conn,
      node: accepted.node,
      inbound: flags.inbound,
      static: flags.static,
      addedAt: now,
    };
    this.#table.add(idHex, entry);
    this.#counters.succeeded(flags.inbound, now - accepted.startedAt);
    const dialed = flags.inbound ? 'inbound' : flags.static ? 'static' : 'dynamic';
    this.#scheduler.peerAdded(accepted.node, { dialed });
    // Not an async function awaiting run(): every idle peer would hold its suspended frame.
    void this.#tasks.spawn(
      entry.peer.run().then((end) => this.#peerEnded(idHex, entry, conn, end)),
    );
    config.logger.debug('peer added', { id: idHex, name: peer.name, dialed });
    this.#emit('peer:added', { peer });
  }

  /** A peer's run() resolved: once its socket is closed, it leaves the table. */
  async #peerEnded(
    idHex: string,
    entry: PeerEntry,
    conn: RlpxConnection,
    end: PeerEnd,
  ): Promise<void> {
    await conn.whenClosed();
    // In the same turn as the removal, so a snapshot counts its bytes exactly once.
    this.#counters.closed(conn.bytesRead, conn.bytesWritten);
    this.#counters.peerEnded(entry.inbound, this.#config.clock.now() - entry.addedAt);
    this.#table.remove(idHex, entry);
    this.#scheduler.peerRemoved(entry.node);
    if (!this.#signal.aborted) {
      const change = changeForEnd(end.reason, end.remoteRequested, end.error);
      if (change !== undefined) {
        const ip = conn.remoteAddress;
        this.reputation.report(change, { id: entry.peer.id, ...(ip === undefined ? {} : { ip }) });
      }
    }
    // The remote kept the connection it dialed to us and dropped ours: a simultaneous dial.
    if (!entry.inbound && end.remoteRequested && end.reason === DiscReason.AlreadyConnected) {
      this.#scheduler.dialLostRace(entry.node);
    }
    this.#config.logger.debug('peer removed', { id: idHex, reason: end.reason });
    this.#emit('peer:removed', { peer: entry.peer, ...end });
  }

  /** Emits to listeners; a listener that throws is logged and does not disturb the server. */
  #emit<K extends keyof ServerEvents>(name: K, payload: Parameters<ServerEvents[K]>[0]): void {
    safeEmit(this.#emitter, name, payload, (err) =>
      this.#config.logger.warn('event listener failed', { event: name, err: String(err) }),
    );
  }
}

const NO_INBOUND: InboundMetrics = Object.freeze({
  accepted: 0,
  refused: Object.freeze({
    pendingLimit: 0,
    ipPendingLimit: 0,
    netRestrict: 0,
    throttled: 0,
    noAddress: 0,
    banned: 0,
  }),
  evicted: 0,
  idleTimeouts: 0,
  pending: 0,
});

function checkNode(node: Node): void {
  if (!(node instanceof Node)) throw new TypeError('node: expected a Node');
}
