/**
 * Liveness revalidation of table entries with two lists, following go-ethereum's HEAD design
 * (May 2024, `p2p/discover/table_reval.go`): new and changed nodes sit in the *fast* list
 * (checked every PING_INTERVAL_MS on average), nodes that answered move to the *slow* list
 * (SLOW_REVALIDATION_FACTOR times slower). Each list has a next due time; when it passes, a
 * random node of that list without a check in flight is pinged, and the list's next time is
 * drawn again. One clock timer covers both lists.
 *
 * The table owns the {@link Revalidation}: the lists change only inside table methods or this
 * timer's callback, synchronously. A check's result is handed back to the table in one
 * synchronous call when it arrives; the table ignores it if the entry left the table meanwhile.
 * @module
 */
import { type Clock, type Logger, type Random, TaskGroup, type Timer } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { TableEntry } from './bucket.ts';

/**
 * The network side of revalidation, implemented by the discovery service (geth `transport`):
 * both calls end early when `signal` aborts, by rejecting or by resolving `undefined`.
 */
export interface Revalidator {
  /** Pings `node`; resolves the pong's ENR sequence number, or `undefined` if no pong came. */
  ping(node: Node, signal: AbortSignal): Promise<{ readonly seq: bigint } | undefined>;
  /** Requests `node`'s current record (EIP-868); `undefined` if none arrived or it was invalid. */
  requestEnr(node: Node, signal: AbortSignal): Promise<Node | undefined>;
}

/** The outcome of one revalidation check. */
export interface RevalidationResult {
  /** Whether the node answered the ping. */
  readonly responded: boolean;
  /** The node's newer record, when the pong announced a higher seq and the request succeeded. */
  readonly newRecord: Node | undefined;
}

/** The name of a revalidation list. */
export type RevalidationListName = 'fast' | 'slow';

/** One revalidation list: its entries and when its next check is due. */
export class RevalidationList {
  readonly name: RevalidationListName;
  readonly intervalMs: number;
  readonly entries: TableEntry[] = [];
  /** Clock ms of the next check, `Infinity` while the list is empty. */
  nextTimeMs: number = Number.POSITIVE_INFINITY;

  constructor(name: RevalidationListName, intervalMs: number) {
    this.name = name;
    this.intervalMs = intervalMs;
  }

  /** Draws the next due time in (now, now + interval]: never "now", so a timer always advances. */
  schedule(nowMs: number, random: Random): void {
    this.nextTimeMs = nowMs + 1 + random.intn(this.intervalMs);
  }

  /** A random entry not in `exclude`, trying 3× the list length (geth `revalidationList.get`). */
  pick(random: Random, exclude: ReadonlySet<TableEntry>): TableEntry | undefined {
    const n = this.entries.length;
    for (let i = 0; i < n * 3; i++) {
      const entry = this.entries[random.intn(n)];
      if (entry !== undefined && !exclude.has(entry)) return entry;
    }
    return undefined;
  }
}

/** Options of {@link Revalidation}. */
export interface RevalidationOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Fast list interval; the slow list uses `intervalMs * SLOW_REVALIDATION_FACTOR`. */
  readonly fastIntervalMs: number;
  readonly slowIntervalMs: number;
  /** Applies a check's result; called synchronously, once per finished check, never after stop. */
  readonly onResult: (entry: TableEntry, result: RevalidationResult) => void;
}

/** The revalidation lists, their timer and the checks in flight. Owned by the table. */
export class Revalidation {
  readonly fast: RevalidationList;
  readonly slow: RevalidationList;
  readonly #opts: RevalidationOptions;
  /** Entries with a check in flight: a subset of the table, so bounded by it. */
  readonly #active = new Set<TableEntry>();
  readonly #checks = new TaskGroup();
  #running: { revalidator: Revalidator; controller: AbortController } | undefined;
  #timer: { at: number; handle: Timer } | undefined;

  constructor(options: RevalidationOptions) {
    this.#opts = options;
    this.fast = new RevalidationList('fast', options.fastIntervalMs);
    this.slow = new RevalidationList('slow', options.slowIntervalMs);
  }

  /** Puts a new table entry in the fast list. */
  nodeAdded(entry: TableEntry): void {
    this.moveTo(this.fast, entry);
  }

  /** Takes an entry that left the table out of its list; a check in flight will be ignored. */
  nodeRemoved(entry: TableEntry): void {
    const list = entry.revalList;
    if (list === undefined) return;
    const i = list.entries.indexOf(entry);
    if (i >= 0) list.entries.splice(i, 1);
    if (list.entries.length === 0) list.nextTimeMs = Number.POSITIVE_INFINITY;
    entry.revalList = undefined;
    this.#reschedule();
  }

  /** An entry's IP or UDP port changed: it is no longer validated and goes to the fast list. */
  endpointChanged(entry: TableEntry): void {
    entry.isValidatedLive = false;
    this.moveTo(this.fast, entry);
  }

  /** Ensures `entry` is in `list`. */
  moveTo(list: RevalidationList, entry: TableEntry): void {
    if (entry.revalList === list) return;
    this.nodeRemoved(entry);
    list.entries.push(entry);
    if (list.nextTimeMs === Number.POSITIVE_INFINITY)
      list.schedule(this.#opts.clock.now(), this.#opts.random);
    entry.revalList = list;
    this.#reschedule();
  }

  /** Starts checking with `revalidator`; a no-op while running. */
  start(revalidator: Revalidator): void {
    if (this.#running !== undefined) return;
    this.#running = { revalidator, controller: new AbortController() };
    this.#reschedule();
  }

  /** Cancels the timer, aborts every check in flight and waits for them. Safe to call twice. */
  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    this.#timer?.handle.cancel();
    this.#timer = undefined;
    this.#active.clear();
    running?.controller.abort(new Error('table stopped'));
    await this.#checks.wait();
  }

  #reschedule(): void {
    const at = Math.min(this.fast.nextTimeMs, this.slow.nextTimeMs);
    if (this.#timer?.at === at) return;
    this.#timer?.handle.cancel();
    this.#timer = undefined;
    if (this.#running === undefined || at === Number.POSITIVE_INFINITY) return;
    const delay = Math.max(0, at - this.#opts.clock.now());
    this.#timer = { at, handle: this.#opts.clock.schedule(delay, () => this.#run()) };
  }

  /** Timer callback: starts a check on every list that is due (geth `tableRevalidation.run`). */
  #run(): void {
    this.#timer = undefined;
    const now = this.#opts.clock.now();
    for (const list of [this.fast, this.slow]) {
      if (list.nextTimeMs > now) continue;
      const entry = list.pick(this.#opts.random, this.#active);
      if (entry !== undefined) this.#startCheck(entry);
      list.schedule(now, this.#opts.random);
    }
    this.#reschedule();
  }

  #startCheck(entry: TableEntry): void {
    const running = this.#running;
    if (running === undefined) return;
    this.#active.add(entry);
    void this.#checks.spawn(this.#check(entry, running.revalidator, running.controller.signal));
  }

  async #check(entry: TableEntry, revalidator: Revalidator, signal: AbortSignal): Promise<void> {
    const node = entry.node;
    const log = this.#opts.logger;
    let pong: { readonly seq: bigint } | undefined;
    try {
      pong = await revalidator.ping(node, signal);
    } catch (err) {
      if (!signal.aborted) log.debug('revalidation ping failed', { node: node.enodeUrl(), err });
    }
    let newRecord: Node | undefined;
    if (pong !== undefined && pong.seq > node.seq && !signal.aborted) {
      try {
        const record = await revalidator.requestEnr(node, signal);
        if (record !== undefined && equalBytes(record.id, node.id)) newRecord = record;
      } catch (err) {
        if (!signal.aborted) log.debug('revalidation enr request failed', { err });
      }
    }
    if (signal.aborted) return;
    this.#active.delete(entry);
    try {
      this.#opts.onResult(entry, { responded: pong !== undefined, newRecord });
    } catch (err) {
      log.error('applying a revalidation result failed', { err });
    }
  }
}
