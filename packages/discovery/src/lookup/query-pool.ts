/**
 * The in-flight FINDNODE queries of one lookup: starts them, collects their outcomes in arrival
 * order, reports each to the table, and cancels and drains them when the lookup ends.
 * @module
 */
import { TaskGroup } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';

/** What the pool needs from the lookup's dependencies (a subset of `TargetLookupDeps`). */
export interface QueryDeps {
  query(node: Node, targetId: Uint8Array, signal: AbortSignal): Promise<Node[]>;
  trackRequest?(node: Node, success: boolean, found: readonly Node[]): void;
}

/** The result of one query: the nodes it returned, empty when it failed. */
export interface QueryOutcome {
  readonly node: Node;
  readonly found: readonly Node[];
  /** Why the query failed; absent when it was answered. */
  readonly error?: unknown;
}

type Settled = QueryOutcome & { readonly reportError?: unknown };

/**
 * The queries of one lookup. Owned by the lookup generator, which calls {@link QueryPool.start}
 * and {@link QueryPool.next} in turn; settling queries only append to a queue and wake the owner,
 * so the lookup state is changed by its owner alone. Every query shares one internal signal,
 * aborted when the caller's signal aborts or when the pool closes. A query is reported to
 * `trackRequest` as soon as it settles, unless that signal was aborted by then.
 */
export class QueryPool {
  readonly #deps: QueryDeps;
  readonly #targetId: Uint8Array;
  readonly #external: AbortSignal | undefined;
  readonly #controller = new AbortController();
  readonly #settled: Settled[] = [];
  readonly #running = new TaskGroup();
  #inFlight = 0;
  #wake: (() => void) | undefined;
  readonly #onAbort = (): void => {
    this.#controller.abort(this.#external?.reason);
    this.#notify();
  };

  constructor(deps: QueryDeps, targetId: Uint8Array, signal: AbortSignal | undefined) {
    this.#deps = deps;
    this.#targetId = targetId;
    this.#external = signal;
    // One listener instead of AbortSignal.any, because the owner must also be woken up; it is
    // removed in close().
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Queries started whose outcome the owner has not taken yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Starts a query (FINDNODE) to `node`. */
  start(node: Node): void {
    this.#inFlight++;
    void this.#running.spawn(
      this.#query(node).then((outcome) => {
        this.#settled.push(outcome);
        this.#notify();
      }),
    );
  }

  /**
   * Waits until at least one started query has settled and returns every settled outcome.
   * @throws the caller's `signal.reason` once it aborts; an error thrown by `trackRequest`
   */
  async next(): Promise<QueryOutcome[]> {
    while (this.#settled.length === 0) {
      this.#external?.throwIfAborted();
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    this.#external?.throwIfAborted();
    const outcomes = this.#settled.splice(0);
    this.#inFlight -= outcomes.length;
    for (const outcome of outcomes) {
      if ('reportError' in outcome) throw outcome.reportError;
    }
    return outcomes;
  }

  /**
   * Aborts the queries still running and waits for them to settle (the query must honour its
   * signal). Safe to call twice.
   */
  async close(): Promise<void> {
    this.#external?.removeEventListener('abort', this.#onAbort);
    this.#controller.abort(this.#external?.reason);
    await this.#running.wait();
  }

  async #query(node: Node): Promise<Settled> {
    const signal = this.#controller.signal;
    let found: readonly Node[] = [];
    let failure: { error: unknown } | undefined;
    try {
      found = await this.#deps.query(node, this.#targetId, signal);
    } catch (error) {
      // A failed or timed-out query counts as answered with no nodes (geth lookup.query).
      failure = { error };
    }
    if (signal.aborted) return { node, found: [], ...failure };
    try {
      this.#deps.trackRequest?.(node, failure === undefined && found.length > 0, found);
    } catch (err) {
      return { node, found, reportError: err };
    }
    return { node, found, ...failure };
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
