/**
 * The two candidate producers of the dial scheduler and their pacing state: `LookupRunner`
 * starts `discoverTask`s, `RandomReader` runs `readRandomTask`s over one long-lived
 * `randomNodes()` stream.
 * @module
 */
import type { Clock, Logger, TaskGroup } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { NodeSource } from '../node-source.ts';
import type { LookupHost, RandomHost } from './tasks.ts';
import { close, discoverTask, readRandomTask } from './tasks.ts';

/** What the producers need from the scheduler. */
export interface ProducerDeps {
  readonly source: NodeSource;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Least time between two lookup starts, and before an ended random stream is reopened. */
  readonly intervalMs: number;
  /** The scheduler's signal: aborted by `stop()`. */
  readonly signal: AbortSignal;
  /** Hands a node over; false when it is unusable. */
  candidate(node: Node, origin: 'random' | 'lookup'): boolean;
  /** Something changed: run a scheduling pass. */
  changed(): void;
  /** The scheduler's background tasks, which `stop()` awaits. */
  readonly tasks: TaskGroup;
}

/** Runs one `discoverTask` at a time, lookups starting at least `intervalMs` apart. */
export class LookupRunner {
  readonly #deps: ProducerDeps;
  readonly #host: LookupHost;
  #running = false;
  #lastStartAt = Number.NEGATIVE_INFINITY;

  /** `wants()` says whether more lookup nodes can be buffered. */
  constructor(deps: ProducerDeps, wants: () => boolean, onLookup: () => void) {
    this.#deps = deps;
    this.#host = {
      clock: deps.clock,
      logger: deps.logger,
      candidate: (node, origin) => deps.candidate(node, origin),
      nextLookupAt: () => this.#lastStartAt + deps.intervalMs,
      startLookup: (signal) => {
        this.#lastStartAt = deps.clock.now();
        onLookup();
        return deps.source.lookup(undefined, { signal });
      },
      wantsLookupNodes: wants,
      lookupDone: () => {
        this.#running = false;
        deps.changed();
      },
    };
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts a `discoverTask` unless one runs. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#deps.tasks.spawn(discoverTask(this.#host, this.#deps.signal));
  }
}

/**
 * Reads the source's random nodes while `wants()` says a random slot is free, one
 * `readRandomTask` at a time. The stream stays open between tasks; when it ends, fails or
 * offers only unusable nodes it is closed, and reopened `intervalMs` later. While it is backing
 * off, {@link RandomReader.holdsSlots} is false and lookups may fill the random slots.
 */
export class RandomReader {
  readonly #deps: ProducerDeps;
  readonly #host: RandomHost;
  #running = false;
  #iterator: AsyncIterator<Node> | undefined;
  #backoffUntil = Number.NEGATIVE_INFINITY;

  constructor(deps: ProducerDeps, wants: () => boolean) {
    this.#deps = deps;
    this.#host = {
      clock: deps.clock,
      logger: deps.logger,
      candidate: (node, origin) => deps.candidate(node, origin),
      nextRandomOpenAt: () =>
        this.#iterator === undefined ? this.#backoffUntil : Number.NEGATIVE_INFINITY,
      randomIterator: () => {
        this.#iterator ??= deps.source.randomNodes({ signal: deps.signal })[Symbol.asyncIterator]();
        return this.#iterator;
      },
      wantsRandomNodes: wants,
      randomEnded: () => {
        this.close();
        this.#backoffUntil = deps.clock.now() + deps.intervalMs;
        deps.changed();
      },
      randomDone: () => {
        this.#running = false;
        deps.changed();
      },
    };
  }

  get running(): boolean {
    return this.#running;
  }

  /** Whether free random slots are held for this reader (false while it backs off). */
  get holdsSlots(): boolean {
    return this.#iterator !== undefined || this.#deps.clock.now() >= this.#backoffUntil;
  }

  /** Starts a `readRandomTask` unless one runs. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#deps.tasks.spawn(readRandomTask(this.#host, this.#deps.signal));
  }

  /** Closes the stream, if open. */
  close(): void {
    const iterator = this.#iterator;
    this.#iterator = undefined;
    if (iterator !== undefined) void this.#deps.tasks.spawn(close(iterator, this.#deps.signal));
  }
}
