/**
 * The scheduler's static nodes and their resolution through the node source, with go-ethereum's
 * backoff (`dialTask.resolve` in `p2p/dial.go`).
 * @module
 */

import type { Clock, Logger } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import type { NodeSource } from '../node-source.ts';
import { deadlineSignal, untilAborted } from './abort.ts';
import { INITIAL_RESOLVE_DELAY_MS, MAX_RESOLVE_DELAY_MS } from './constants.ts';
import { DialError } from './errors.ts';

interface StaticEntry {
  node: Node;
  lastResolvedAt: number | undefined;
  /** Least time between two resolves; 0 until the first one. */
  resolveDelayMs: number;
}

/** What {@link StaticNodes} needs. */
export interface StaticNodesOptions {
  readonly source: NodeSource | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Deadline of one resolve. */
  readonly timeoutMs: number;
  /** Called when a resolve is started (for the metrics). */
  readonly onResolve: () => void;
}

/**
 * Static nodes by ID hex, each at its latest known endpoint. Owned by the scheduler.
 *
 * A node is resolved at most once per `resolveDelay`: 60 s after a resolve that found it, and
 * doubling up to an hour while it is not found (geth `initialResolveDelay`, `maxResolveDelay`).
 */
export class StaticNodes {
  readonly #entries = new Map<string, StaticEntry>();
  readonly #options: StaticNodesOptions;

  constructor(options: StaticNodesOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The nodes at their latest endpoints. */
  nodes(): Node[] {
    return [...this.#entries.values()].map((e) => e.node);
  }

  /** `[key, node]` pairs. */
  *entries(): IterableIterator<[string, Node]> {
    for (const [key, entry] of this.#entries) yield [key, entry.node];
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Adds a node, or moves a known one to the given endpoint (keeping its resolve backoff). */
  set(key: string, node: Node): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.node = node;
    else this.#entries.set(key, { node, lastResolvedAt: undefined, resolveDelayMs: 0 });
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /**
   * The current record of the static node `key` from the source; `undefined` when it is not
   * static (any more), there is no source, it was resolved too recently, or it was not found.
   * A found node becomes the entry's endpoint.
   * @throws `signal.reason` when aborted; never the source's errors
   */
  async resolve(key: string, signal: AbortSignal): Promise<Node | undefined> {
    const { source, clock, logger, timeoutMs } = this.#options;
    const entry = this.#entries.get(key);
    if (entry === undefined || source === undefined) return undefined;
    if (entry.resolveDelayMs === 0) entry.resolveDelayMs = INITIAL_RESOLVE_DELAY_MS;
    const last = entry.lastResolvedAt;
    if (last !== undefined && clock.now() - last < entry.resolveDelayMs) return undefined;
    this.#options.onResolve();
    const wanted = entry.node;
    const deadline = deadlineSignal(
      signal,
      clock,
      timeoutMs,
      () => new DialError('TIMEOUT', `resolve timed out after ${timeoutMs} ms`),
    );
    let found: Node | undefined;
    try {
      const pending = Promise.resolve().then(() =>
        source.resolve(wanted, { signal: deadline.signal }),
      );
      found = await untilAborted(pending, deadline.signal);
    } catch (err) {
      signal.throwIfAborted();
      logger.debug('dial: resolve failed', { node: wanted.enodeUrl(), err: String(err) });
    } finally {
      deadline.dispose();
    }
    entry.lastResolvedAt = clock.now();
    if (!(found instanceof Node) || !equalBytes(found.id, wanted.id)) {
      entry.resolveDelayMs = Math.min(2 * entry.resolveDelayMs, MAX_RESOLVE_DELAY_MS);
      return undefined;
    }
    entry.resolveDelayMs = INITIAL_RESOLVE_DELAY_MS;
    if (this.#entries.get(key) === entry) entry.node = found;
    return found;
  }
}
