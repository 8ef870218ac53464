/**
 * `DialScheduler`: decides which nodes to dial and when (geth `p2p/dial.go`; the task model and
 * names of the 2019 `dialstate`, the dial-on-discovery of the 2020 rewrite).
 * @see https://github.com/ethereum/go-ethereum/blob/master/p2p/dial.go
 * @module
 */
import { setMaxListeners } from 'node:events';
import { safeEmit, TaskGroup } from '@ethp2p/base';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import { DIAL_MIN_REPUTATION } from '../reputation/constants.ts';
import type { DialCheckState, DialSkipReason } from './check.ts';
import { checkDial, DIAL_SKIP_REASON } from './check.ts';
import { DialError } from './errors.ts';
import { DialHistory } from './history.ts';
import { DialMetricsCounters } from './metrics.ts';
import type { DialConfig } from './options.ts';
import { resolveDialConfig } from './options.ts';
import type { ProducerDeps } from './producers.ts';
import { LookupRunner, RandomReader } from './producers.ts';
import type { Candidate, Slots } from './slots.ts';
import { countSlots, pushCandidate } from './slots.ts';
import { StaticNodes } from './static-nodes.ts';
import type { DialTask, DialTaskHost } from './tasks.ts';
import { dialTask, waitExpireTask } from './tasks.ts';
import type {
  DialMetrics,
  DialOrigin,
  DialSchedulerEvents,
  DialSchedulerOptions,
  PeerDialFlag,
} from './types.ts';

type Dynamic = 'random' | 'lookup';

/**
 * Keeps the dialed peers topped up: static nodes always, and up to `maxDialedPeers` dynamic
 * ones, half of them (rounded down) from the source's random nodes and the rest from lookups.
 *
 * Tasks (`tasks.ts`): a `dialTask` per dial, at most `maxActiveDials` at once, each attempt
 * aborted after `dialTimeoutMs`; one `discoverTask` at a time, at most one lookup start per
 * `lookupIntervalMs`; one reader of random nodes; and a `waitExpireTask` while the dial history
 * is not empty. Unlike the 2019 design, which took candidates only when its loop asked for new
 * tasks, a candidate is checked and dialed the moment the source yields it if a slot is free,
 * and buffered (boundedly, freshest kept) otherwise. Unlike it too, the history wait stays armed
 * while other tasks run, so a static node is redialed the moment its entry expires.
 *
 * Slots held for random nodes are released to lookups while the random stream is backing off
 * (it ended or offered only unusable nodes), so an empty table does not idle half the slots.
 *
 * Never dialed: ourselves, a banned node, a node without a TCP endpoint, one being dialed, a connected peer,
 * one connecting to us (`inboundPending`), one outside NetRestrict, and one dialed less than
 * `historyExpirationMs` ago (the entry is added when the dial starts); and no dynamic candidate
 * whose reputation is below `DIAL_MIN_REPUTATION`. Buffered candidates are dialed best score
 * first; unknown nodes score 0, like clean known ones, so new nodes are not starved. A static node is dialed
 * whenever it passes these checks: right after it drops, or when its history entry expires if
 * it was dialed within the expiration. The one exception: after a lost simultaneous-dial race
 * ({@link DialScheduler.dialLostRace}) the side with the lower node ID redials at once. A failed static dial resolves the node through the
 * source (at most once a minute, backing off to once an hour while it is not found) and dials
 * once more if its endpoint changed.
 *
 * Ownership: the scheduler owns its state. Public methods change it synchronously; every reason
 * to look again (a peer added or removed, a dial done, a candidate, a history expiry, a static
 * node added, a producer done) is one request for a scheduling pass. Passes run in a microtask,
 * so the dial function is never called re-entrantly from a public method, and run in a loop
 * until no request is pending: a request made during a pass (by an event listener, the dial
 * function or a task) is served by the next pass of the same loop, never lost. The
 * server reports every peer, dialed or inbound, with `peerAdded` and `peerRemoved`. `stop()`
 * aborts every task and awaits them; afterwards no timer is left.
 *
 * @example
 * ```ts
 * const scheduler = new DialScheduler({ self, maxDialedPeers: 16, source, dial });
 * scheduler.events.on('dial:start', (e) => {
 *   if (e.discoveredAt !== undefined) latencies.push(e.startedAt - e.discoveredAt);
 * });
 * scheduler.start();
 * await scheduler.stop();
 * ```
 */
export class DialScheduler {
  /** `dial:start` and `dial:done`. */
  readonly events: Pick<EventEmitter<DialSchedulerEvents>, 'on' | 'once' | 'off'>;
  readonly #emitter = new EventEmitter<DialSchedulerEvents>();
  readonly #config: DialConfig;
  readonly #check: DialCheckState;
  readonly #history = new DialHistory();
  readonly #static: StaticNodes;
  readonly #dialing = new Map<string, DialTask>();
  readonly #peers = new Map<string, { flag: PeerDialFlag; origin: Dynamic | undefined }>();
  readonly #pendingInbound = new Set<string>();
  /** Nodes whose dial lost a simultaneous-dial race (AlreadyConnected), by key. */
  readonly #lostRaces = new Map<string, Node>();
  /** Nodes redialed early after a lost race, until their normal history would have expired. */
  readonly #raceRedials = new DialHistory();
  readonly #buffers: Record<Dynamic, Candidate[]> = { random: [], lookup: [] };
  readonly #tasks: TaskGroup;
  readonly #counters = new DialMetricsCounters();
  readonly #controller = new AbortController();
  readonly #dialHost: DialTaskHost;
  readonly #lookups: LookupRunner | undefined;
  readonly #randoms: RandomReader | undefined;
  #state: 'new' | 'running' | 'stopped' = 'new';
  #stopping: Promise<void> | undefined;
  /** A pass was requested and has not started yet. */
  #passRequested = false;
  /** The pass loop is queued or running: a request only has to be marked. */
  #passLoopActive = false;
  #expiryRunning = false;

  /** @throws {TypeError} or {RangeError} on invalid options */
  constructor(options: DialSchedulerOptions) {
    const config = resolveDialConfig(options);
    this.#config = config;
    this.#tasks = new TaskGroup({
      onError: (err) => config.logger.error('dial: task failed', { err: String(err) }),
    });
    this.#check = {
      selfKey: config.selfKey,
      netRestrict: config.netRestrict,
      isDialing: (key) => this.#dialing.has(key),
      isConnected: (key) => this.#peers.has(key),
      isPendingInbound: (key) => this.#pendingInbound.has(key),
      inHistory: (key) => this.#history.contains(key),
      isBanned: (key) => config.reputation.isBanned(key),
    };
    this.#static = new StaticNodes({
      source: config.source,
      clock: config.clock,
      logger: config.logger,
      timeoutMs: config.dialTimeoutMs,
      onResolve: () => this.#counters.resolves++,
    });
    this.#dialHost = this.#makeDialHost();
    if (config.source !== undefined) {
      const deps: ProducerDeps = {
        source: config.source,
        clock: config.clock,
        logger: config.logger,
        intervalMs: config.lookupIntervalMs,
        signal: this.#controller.signal,
        candidate: (node, origin) => this.#candidate(node, origin),
        changed: () => this.#requestPass(),
        tasks: this.#tasks,
      };
      const wantsLookup = (): boolean =>
        this.#state === 'running' && this.#buffers.lookup.length < config.maxDialedPeers;
      this.#lookups = new LookupRunner(deps, wantsLookup, () => this.#counters.lookups++);
      this.#randoms = new RandomReader(deps, () => this.#wantsRandom(this.#slots()));
    }
    // Every running task listens on the scheduler's signal: at most maxActiveDials dials, a
    // few other tasks and the source's own listeners. Bounded, so no leak warning.
    setMaxListeners(0, this.#controller.signal);
    for (const node of config.staticNodes) this.addStatic(node);
    this.events = this.#emitter;
  }

  /** A snapshot of the counters. */
  get metrics(): DialMetrics {
    return this.#counters.snapshot(this.#dialing.size);
  }

  /** Dials running now. */
  get activeDials(): number {
    return this.#dialing.size;
  }

  /** The static nodes, at their latest resolved endpoints. */
  get staticNodes(): readonly Node[] {
    return this.#static.nodes();
  }

  /**
   * Starts dialing (in a microtask). A second call while running does nothing.
   * @throws {DialError} `CLOSED` after `stop()`
   */
  start(): void {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new DialError('CLOSED', 'dial scheduler stopped');
    this.#state = 'running';
    this.#requestPass();
  }

  /**
   * Aborts every dial, lookup and wait and resolves once all tasks have settled; dials still
   * running end with `dial:done` and a `CLOSED` error. Idempotent; safe before `start()`.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = 'stopped';
    this.#controller.abort(new DialError('CLOSED', 'dial scheduler stopped'));
    this.#buffers.random.length = 0;
    this.#buffers.lookup.length = 0;
    this.#randoms?.close();
    await this.#tasks.wait();
  }

  /** Adds a static node, or moves a known one to `node`'s endpoint. */
  addStatic(node: Node): void {
    const key = nodeKey(node);
    if (key === this.#check.selfKey) this.#config.logger.warn('dial: static node is ourselves');
    this.#static.set(key, node);
    this.#requestPass();
  }

  /** Whether node `key` (hex ID) is a static node. */
  isStatic(key: string): boolean {
    return this.#static.has(key);
  }

  /** Removes a static node. A dial in progress goes on but is not retried. */
  removeStatic(node: Node): boolean {
    return this.#static.delete(nodeKey(node));
  }

  /** Reports a connected peer and how it came to be (a dialed peer before its dial resolves). */
  peerAdded(node: Node, options: { readonly dialed: PeerDialFlag }): void {
    const key = nodeKey(node);
    const flag = options?.dialed;
    if (flag !== 'static' && flag !== 'dynamic' && flag !== 'inbound') {
      throw new TypeError(`dialed: expected 'static', 'dynamic' or 'inbound', got ${String(flag)}`);
    }
    const task = this.#dialing.get(key);
    const origin = flag !== 'dynamic' ? undefined : task?.origin === 'random' ? 'random' : 'lookup';
    this.#peers.set(key, { flag, origin });
    this.#pendingInbound.delete(key);
    this.#lostRaces.delete(key);
    this.#requestPass();
  }

  /** Reports a peer that left: its slot is refilled, and a static node is redialed. */
  peerRemoved(node: Node): void {
    const key = nodeKey(node);
    if (!this.#peers.delete(key)) return;
    this.#redialAfterRace(key);
    this.#requestPass();
  }

  /**
   * Reports that our dial of `node` lost a simultaneous-dial race: the dial was refused with
   * AlreadyConnected (by us or by the remote), or the peer it made was dropped by the remote
   * with AlreadyConnected. When both sides dial each other at once, each may keep a different
   * connection, so both die. Once we are not connected to it (now, or when the peer we kept leaves), the node with
   * the lower ID dials again without waiting for its history entry to expire; the other waits,
   * so the two do not race again. At most once per `historyExpirationMs` per node, so a remote
   * that keeps refusing us (a stale connection on its side) is still dialed at geth's pace.
   */
  dialLostRace(node: Node): void {
    const key = nodeKey(node);
    // Hex IDs of equal length compare as numbers. The remote has the lower ID: it redials.
    if (this.#state !== 'running' || this.#check.selfKey > key) return;
    this.#lostRaces.set(key, node);
    this.#redialAfterRace(key);
  }

  /**
   * Reports an inbound connection from node `id` that passed the first checkpoint: the node is
   * not dialed until {@link inboundDone} or `peerAdded` (geth `inboundPending`, 2026).
   */
  inboundPending(id: Uint8Array): void {
    this.#pendingInbound.add(nodeIdToHex(id));
  }

  /** Reports the end of an inbound handshake announced with {@link inboundPending}. */
  inboundDone(id: Uint8Array): void {
    if (this.#pendingInbound.delete(nodeIdToHex(id))) this.#requestPass();
  }

  /**
   * The one way to ask for a scheduling pass. Outside the pass loop it queues the loop in a
   * microtask; during it, the loop runs one more pass once the current one returns.
   */
  #requestPass(): void {
    if (this.#state !== 'running') return;
    this.#passRequested = true;
    if (this.#passLoopActive) return;
    this.#passLoopActive = true;
    queueMicrotask(() => this.#runPasses());
  }

  /** Runs passes (the 2019 `newTasks`) until no request is pending. */
  #runPasses(): void {
    try {
      while (this.#passRequested && this.#state === 'running') {
        this.#passRequested = false;
        this.#schedulePass();
      }
    } finally {
      this.#passLoopActive = false;
    }
  }

  /** Cuts the history of a node that lost a race short, if we are now free to dial it. */
  #redialAfterRace(key: string): void {
    const node = this.#lostRaces.get(key);
    if (node === undefined) return;
    if (this.#peers.has(key) || this.#dialing.has(key) || this.#pendingInbound.has(key)) return;
    this.#lostRaces.delete(key);
    const now = this.#config.clock.now();
    this.#raceRedials.expire(now);
    if (this.#raceRedials.contains(key) || !this.#history.contains(key)) return;
    this.#raceRedials.add(key, now + this.#config.historyExpirationMs);
    this.#history.add(key, now);
    this.#history.expire(now);
    if (!this.#static.has(key)) this.#candidate(node, 'lookup');
  }

  #schedulePass(): void {
    this.#history.expire(this.#config.clock.now());
    this.#startStaticDials();
    this.#drain('random');
    this.#drain('lookup');
    // A listener of dial:start (or the dial function) may have stopped the scheduler.
    if (this.#state !== 'running') return;
    const slots = this.#slots();
    if (this.#wantsRandom(slots)) this.#randoms?.start();
    if (slots.active > 0 && slots.lookup > this.#buffers.lookup.length) this.#lookups?.start();
    const expiry = this.#history.nextExpiry();
    if (!this.#expiryRunning && expiry !== undefined) {
      this.#expiryRunning = true;
      const waiting = waitExpireTask(this.#config.clock, expiry, this.#controller.signal);
      void this.#tasks.spawn(
        waiting.then(() => {
          this.#expiryRunning = false;
          this.#requestPass();
        }),
      );
    }
  }

  #slots(): Slots {
    return countSlots({
      peers: this.#peers.values(),
      dialing: this.#dialing.values(),
      // A dial counts as its peer only when that peer holds a dynamic slot: an inbound peer that
      // appears while we dial it must not free the dial's slot early.
      isPeer: (key) => this.#peers.get(key)?.flag === 'dynamic',
      maxDialedPeers: this.#config.maxDialedPeers,
      randomSlots: this.#config.randomSlots,
      maxActiveDials: this.#config.maxActiveDials,
      activeDials: this.#dialing.size,
      holdRandom: this.#randoms?.holdsSlots ?? false,
    });
  }

  #wantsRandom(slots: Slots): boolean {
    return (
      this.#state === 'running' && slots.active > 0 && slots.random > this.#buffers.random.length
    );
  }

  /** Static nodes passing the checks, in random order, while dial tasks may start. */
  #startStaticDials(): void {
    if (this.#static.size === 0) return;
    const resolvable = this.#config.source !== undefined;
    const ready: [string, Node][] = [];
    for (const [key, node] of this.#static.entries()) {
      if (checkDial(this.#check, node, key, resolvable) === undefined) ready.push([key, node]);
    }
    while (
      ready.length > 0 &&
      this.#state === 'running' &&
      this.#dialing.size < this.#config.maxActiveDials
    ) {
      const i = this.#config.random.intn(ready.length);
      const [key, node] = ready[i] as [string, Node];
      ready[i] = ready[ready.length - 1] as [string, Node];
      ready.pop();
      this.#startDial(node, key, 'static', undefined);
    }
  }

  /** Dials buffered candidates while their kind of slot and a dial task are free. */
  #drain(origin: Dynamic): void {
    const buffer = this.#buffers[origin];
    while (buffer.length > 0 && this.#state === 'running') {
      const slots = this.#slots();
      if (slots.active <= 0 || slots[origin] <= 0) return;
      const c = this.#takeBest(buffer);
      if (this.#static.has(c.key)) continue;
      const reason = this.#checkDynamic(c.node, c.key);
      if (reason !== undefined) this.#counters.skip(reason);
      else this.#startDial(c.node, c.key, origin, c.discoveredAt);
    }
  }

  /** {@link checkDial}, then the reputation floor of dynamic candidates. */
  #checkDynamic(node: Node, key: string): DialSkipReason | undefined {
    const reason = checkDial(this.#check, node, key);
    if (reason !== undefined) return reason;
    const score = this.#config.reputation.score(key);
    return score < DIAL_MIN_REPUTATION ? DIAL_SKIP_REASON.LOW_REPUTATION : undefined;
  }

  /** Removes and returns the best-scored candidate (the oldest among equals); `buffer` is not empty. */
  #takeBest(buffer: Candidate[]): Candidate {
    const reputation = this.#config.reputation;
    let best = 0;
    let bestScore = reputation.score((buffer[0] as Candidate).key);
    for (let i = 1; i < buffer.length; i++) {
      const score = reputation.score((buffer[i] as Candidate).key);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return buffer.splice(best, 1)[0] as Candidate;
  }

  #startDial(node: Node, key: string, origin: DialOrigin, discoveredAt: number | undefined): void {
    const now = this.#config.clock.now();
    this.#history.add(key, now + this.#config.historyExpirationMs);
    const task: DialTask = { key, node, origin, discoveredAt, startedAt: now };
    this.#dialing.set(key, task);
    if (discoveredAt !== undefined) this.#counters.latency(now - discoveredAt);
    void this.#tasks.spawn(dialTask(this.#dialHost, task, this.#controller.signal));
  }

  /** A candidate from the source: dialed now if a slot is free, buffered otherwise. */
  #candidate(node: Node, origin: Dynamic): boolean {
    if (this.#state !== 'running') return true;
    if (!(node instanceof Node)) {
      this.#config.logger.debug('dial: source yielded a non-node', { origin });
      return false;
    }
    const key = nodeIdToHex(node.id);
    if (this.#static.has(key)) return true; // dialed as a static node
    const reason = this.#checkDynamic(node, key);
    if (reason !== undefined) {
      this.#counters.skip(reason);
      return false;
    }
    this.#counters.candidates[origin]++;
    const cap = origin === 'random' ? this.#config.randomSlots : this.#config.maxDialedPeers;
    const discoveredAt = this.#config.clock.now();
    pushCandidate(this.#buffers[origin], { node, key, discoveredAt }, cap);
    this.#requestPass();
    return true;
  }

  #makeDialHost(): DialTaskHost {
    const { clock, dialTimeoutMs, netRestrict, dial, logger } = this.#config;
    return {
      clock,
      dialTimeoutMs,
      netRestrict,
      dial,
      attemptStarted: (task, attempt) => {
        this.#counters.attempts++;
        if (attempt > 1) this.#counters.retries++;
        this.#emit('dial:start', {
          node: task.node,
          static: task.origin === 'static',
          origin: task.origin,
          attempt,
          discoveredAt: task.discoveredAt,
          startedAt: clock.now(),
        });
      },
      attemptTimedOut: () => this.#counters.timedOut++,
      resolveStatic: (task, signal) => this.#static.resolve(task.key, signal),
      dialDone: (task, failure) => {
        this.#dialing.delete(task.key);
        this.#redialAfterRace(task.key);
        if (failure === undefined) this.#counters.succeeded++;
        else this.#counters.failed++;
        if (failure !== undefined) {
          logger.debug('dial: failed', { node: task.node.enodeUrl(), err: String(failure.error) });
        }
        this.#emit('dial:done', {
          node: task.node,
          static: task.origin === 'static',
          origin: task.origin,
          ...(failure === undefined ? {} : { error: failure.error }),
          startedAt: task.startedAt,
          endedAt: clock.now(),
        });
        this.#requestPass();
      },
    };
  }

  #emit<E extends keyof DialSchedulerEvents>(
    event: E,
    payload: Parameters<DialSchedulerEvents[E]>[0],
  ): void {
    safeEmit(this.#emitter, event, payload, (err) =>
      this.#config.logger.error('dial: event listener threw', { event, err: String(err) }),
    );
  }
}

function nodeKey(node: Node): string {
  if (!(node instanceof Node)) throw new TypeError(`node: expected Node, got ${typeof node}`);
  return nodeIdToHex(node.id);
}
