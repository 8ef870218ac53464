/**
 * The table refresh (geth `table.go` `loop`/`doRefresh`): on start and then at random intervals
 * in [interval/2, interval), load seeds from the node database and the bootnodes into the table,
 * then run a lookup for our own key and `refreshRandomLookups` (default three) random ones. The first refresh to finish marks the
 * table's init done, after which nodes that ping us may enter the table.
 * @module
 */
import type { Clock, Logger, Random } from '@ethp2p/base';
import type { Node, NodeDatabase } from '@ethp2p/enode';
import type { Table } from '../table/table.ts';
import type { DiscoveryConfig } from './config.ts';

/** What a refresh needs; the lookup is the service's iterative lookup. */
export interface RefreshDeps {
  readonly table: Table;
  readonly db: Pick<NodeDatabase, 'querySeeds'>;
  readonly bootnodes: readonly Node[];
  readonly selfId: Uint8Array;
  readonly selfPublicKey: Uint8Array;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly config: Pick<
    DiscoveryConfig,
    'refreshIntervalMs' | 'seedCount' | 'seedMaxAgeMs' | 'refreshRandomLookups'
  >;
  /** Seeds and bootnodes at other IPs are not added. */
  readonly allowIp: (ip: string) => boolean;
  /** Runs one lookup to completion; its result is not needed (found nodes enter the table). */
  lookup(targetPublicKey: Uint8Array, signal: AbortSignal): Promise<unknown>;
}

/**
 * Runs refreshes one at a time. Owned by the service: `start` once, `stop` once (a second call
 * is harmless). Refresh failures are logged, never thrown.
 */
export class Refresher {
  readonly #deps: RefreshDeps;
  readonly #controller = new AbortController();
  #running: Promise<void> | undefined;
  #timer: { cancel(): void } | undefined;
  #markInit: () => void = () => undefined;
  /** Resolves once the first refresh finished (or the refresher stopped). */
  readonly initDone: Promise<void>;

  constructor(deps: RefreshDeps) {
    this.#deps = deps;
    this.initDone = new Promise<void>((resolve) => {
      this.#markInit = resolve;
    });
  }

  /** Starts the first refresh now; later ones follow on the timer. */
  start(): void {
    void this.refresh();
  }

  /** Starts a refresh unless one is running, and resolves when the running one has finished. */
  refresh(): Promise<void> {
    if (this.#controller.signal.aborted) return Promise.resolve();
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Cancels the timer, aborts the refresh in progress and waits for it. */
  async stop(): Promise<void> {
    this.#controller.abort(new Error('refresh stopped'));
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#markInit();
    await this.#running;
  }

  async #run(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    const signal = this.#controller.signal;
    try {
      await this.#doRefresh(signal);
    } catch (err) {
      if (!signal.aborted) this.#deps.logger.debug('table refresh failed', { err: String(err) });
    }
    if (signal.aborted) return;
    if (!this.#deps.table.initDone) {
      this.#deps.table.markInitDone();
      this.#markInit();
    }
    this.#schedule();
  }

  #schedule(): void {
    const interval = this.#deps.config.refreshIntervalMs;
    const half = Math.floor(interval / 2);
    const delay = half + this.#deps.random.intn(Math.max(1, interval - half));
    this.#timer = this.#deps.clock.schedule(delay, () => {
      this.#timer = undefined;
      void this.refresh();
    });
  }

  async #doRefresh(signal: AbortSignal): Promise<void> {
    const d = this.#deps;
    const seeds = await d.db.querySeeds(d.config.seedCount, d.config.seedMaxAgeMs, {
      exclude: d.selfId,
    });
    for (const node of [...seeds, ...d.bootnodes]) {
      if (node.ip !== undefined && d.allowIp(node.ip)) d.table.addFoundNode(node);
    }
    await this.#lookup(d.selfPublicKey, signal);
    for (let i = 0; i < d.config.refreshRandomLookups && !signal.aborted; i++) {
      await this.#lookup(d.random.bytes(64), signal);
    }
  }

  async #lookup(target: Uint8Array, signal: AbortSignal): Promise<void> {
    try {
      await this.#deps.lookup(target, signal);
    } catch (err) {
      if (!signal.aborted) this.#deps.logger.debug('refresh lookup failed', { err: String(err) });
    }
  }
}
