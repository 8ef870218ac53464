/**
 * The iterative Kademlia lookup of Node Discovery v4 (geth `p2p/discover/lookup.go`): ask the
 * closest not-yet-asked nodes for their neighbours of the target, `alpha` at a time, until the
 * `resultSize` closest nodes seen have all been asked.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#recursive-lookup
 * @module
 */
import { type Clock, checkPositiveInt } from '@ethp2p/base';
import { assertBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { NODE_ID_BYTES, nodeIdFromPublicKey, nodeIdToHex } from '@ethp2p/enode';
import { BUCKET_SIZE } from '../table/constants.ts';
import { NodesByDistance } from './nodes-by-distance.ts';
import { type QueryOutcome, QueryPool } from './query-pool.ts';
import type { LookupKind, LookupStats } from './stats.ts';

/** Queries in flight at once during a lookup: Kademlia α (geth `alpha`). */
export const ALPHA = 3;

/** Nodes a lookup keeps and returns: the bucket size, Kademlia k (geth `bucketSize`). */
export const LOOKUP_RESULT_SIZE: number = BUCKET_SIZE;

/** What a lookup needs from the discovery service, whatever the protocol. */
interface LookupBase {
  /** The local node ID: never asked, never returned. */
  readonly selfId: Uint8Array;
  /** The `n` table nodes closest to `targetId`, used to seed the lookup. */
  closest(targetId: Uint8Array, n: number): Node[];
  /**
   * Reported after every query (`success` = no error and at least one node), except queries
   * that settle after the lookup was aborted or closed.
   */
  trackRequest?(node: Node, success: boolean, found: readonly Node[]): void;
  /**
   * Receives the lookup's statistics once it ends, converged or not (aborted, left early, or
   * failed); never called for a lookup refused at once on bad arguments.
   */
  onDone?(stats: LookupStats): void;
  /** Whether a query's failure was a timeout (counted in `stats.timeouts`). Default: never. */
  isTimeout?(err: unknown): boolean;
  /** Times the statistics. Default: `startedAtMs` and `endedAtMs` are 0. */
  readonly clock?: Clock;
  /** What started the lookup, for the statistics. Default `lookup`. */
  readonly kind?: LookupKind;
}

/** What a discv4 lookup needs from the discovery service. */
export interface LookupDeps extends LookupBase {
  /** One FINDNODE round trip; rejects on timeout, error or abort of `signal`. */
  findnode(node: Node, targetPublicKey: Uint8Array, signal: AbortSignal): Promise<Node[]>;
}

/**
 * What a lookup by target ID needs (discv5, whose FINDNODE asks for log distances): `query`
 * asks `node` for nodes near `targetId` and rejects on timeout, error or abort of `signal`.
 */
export interface TargetLookupDeps extends LookupBase {
  query(node: Node, targetId: Uint8Array, signal: AbortSignal): Promise<Node[]>;
}

/** Options of {@link lookupBatches}, {@link runLookup} and {@link lookupTarget}. */
export interface LookupOptions {
  /** Aborts the lookup and every query in flight. */
  signal?: AbortSignal;
  /** Queries in flight at once, a positive integer; default {@link ALPHA}. */
  alpha?: number;
  /** Nodes kept and returned, a positive integer; default {@link LOOKUP_RESULT_SIZE}. */
  resultSize?: number;
}

interface LookupParams {
  readonly targetId: Uint8Array;
  readonly alpha: number;
  readonly resultSize: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Iterative lookup for `targetPublicKey` (64 bytes; distances use its keccak256, the target ID).
 * Yields each batch of newly seen nodes as queries answer, the table seed first; empty batches
 * are not yielded, so a lookup from an empty table yields nothing. The generator's return value
 * is the final `resultSize` closest nodes, nearest first.
 *
 * The lookup state belongs to the generator and changes only while it runs; queries that answer
 * while the consumer holds a batch are applied on the next `next()`. Failed queries count as
 * answered. Ending the iteration early (`break`, `return()`) aborts the queries in flight.
 * Memory is bounded: each reply contributes at most `max(resultSize, 16)` nodes to the seen set,
 * and each query goes to a distinct seen node.
 *
 * @throws {TypeError|RangeError} at once, on a bad key, self ID, `alpha` or `resultSize`
 * @throws `signal.reason` from `next()` once `signal` aborts; in-flight queries are aborted and
 *   awaited first (findnode must honour its signal)
 * @example
 * ```ts
 * for await (const batch of lookupBatches(deps, targetKey, { signal })) dial(batch);
 * ```
 */
export function lookupBatches(
  deps: LookupDeps,
  targetPublicKey: Uint8Array,
  options: LookupOptions = {},
): AsyncGenerator<Node[], Node[]> {
  assertBytes('targetPublicKey', targetPublicKey, 64);
  const key = Uint8Array.from(targetPublicKey);
  const { findnode, ...base } = deps;
  const targetDeps: TargetLookupDeps = {
    ...base,
    query: (node, _targetId, signal) => findnode(node, key, signal),
  };
  return lookupTarget(targetDeps, nodeIdFromPublicKey(key), options);
}

/**
 * The same iterative lookup for a 32-byte `targetId`, asking each node through `deps.query`
 * (discv5 asks FINDNODE for the log distances nearest the target). Batches, return value,
 * bounds and errors are those of {@link lookupBatches}.
 * @throws {TypeError|RangeError} at once, on a bad target or self ID, `alpha` or `resultSize`
 */
export function lookupTarget(
  deps: TargetLookupDeps,
  targetId: Uint8Array,
  options: LookupOptions = {},
): AsyncGenerator<Node[], Node[]> {
  assertBytes('targetId', targetId, NODE_ID_BYTES);
  assertBytes('deps.selfId', deps.selfId, NODE_ID_BYTES);
  const alpha = checkPositiveInt('options.alpha', options.alpha ?? ALPHA);
  const resultSize = checkPositiveInt(
    'options.resultSize',
    options.resultSize ?? LOOKUP_RESULT_SIZE,
  );
  const params = { targetId: Uint8Array.from(targetId), alpha, resultSize };
  return lookupGenerator(deps, { ...params, signal: options.signal });
}

/**
 * Runs a lookup to completion and returns the closest `resultSize` nodes found, nearest first.
 * @throws `signal.reason` when `signal` aborts (as a rejection); argument errors as
 *   {@link lookupBatches}
 * @example
 * ```ts
 * const closest = await runLookup(deps, targetKey, { signal: AbortSignal.timeout(10_000) });
 * ```
 */
export async function runLookup(
  deps: LookupDeps,
  targetPublicKey: Uint8Array,
  options: LookupOptions = {},
): Promise<Node[]> {
  return finalResult(lookupBatches(deps, targetPublicKey, options));
}

/**
 * {@link lookupTarget} run to completion: the closest `resultSize` nodes found, nearest first.
 * @throws `signal.reason` when `signal` aborts (as a rejection); argument errors as
 *   {@link lookupTarget}
 */
export async function runTargetLookup(
  deps: TargetLookupDeps,
  targetId: Uint8Array,
  options: LookupOptions = {},
): Promise<Node[]> {
  return finalResult(lookupTarget(deps, targetId, options));
}

async function finalResult(batches: AsyncGenerator<Node[], Node[]>): Promise<Node[]> {
  for (;;) {
    const step = await batches.next();
    if (step.done === true) return step.value;
  }
}

async function* lookupGenerator(
  deps: TargetLookupDeps,
  p: LookupParams,
): AsyncGenerator<Node[], Node[]> {
  p.signal?.throwIfAborted();
  const startedAtMs = deps.clock?.now() ?? 0;
  const state = new LookupState(deps.selfId, p.targetId, p.resultSize);
  let end: LookupStats['end'] = 'aborted';
  let queries: QueryPool | undefined;
  try {
    const seed = state.addSeen(deps.closest(p.targetId, p.resultSize), 0);
    if (seed.length > 0) yield seed;
    queries = new QueryPool(deps, p.targetId, p.signal);
    for (;;) {
      p.signal?.throwIfAborted();
      while (queries.inFlight < p.alpha) {
        const node = state.nextUnasked();
        if (node === undefined) break;
        queries.start(node);
      }
      if (queries.inFlight === 0) {
        end = 'converged';
        return state.result();
      }
      const batch: Node[] = [];
      for (const outcome of await queries.next()) {
        state.answered(outcome, deps.isTimeout);
        batch.push(...state.addSeen(outcome.found, state.hopOf(outcome.node)));
      }
      if (batch.length > 0) yield batch;
    }
  } finally {
    await queries?.close();
    deps.onDone?.(state.stats(deps, p.targetId, startedAtMs, end));
  }
}

/**
 * The result list, the seen nodes (with the hop that brought each) and the asked set of one
 * lookup, keyed by node ID hex, and its counters.
 */
class LookupState {
  readonly #result: NodesByDistance;
  /** Seen node ID → its hop: 0 for the table seed, h + 1 for a node a hop-h query brought. */
  readonly #seen = new Map<string, number>();
  readonly #asked = new Set<string>();
  readonly #maxPerReply: number;
  readonly #counters = { queried: 0, replies: 0, failures: 0, timeouts: 0, hops: 0 };

  constructor(selfId: Uint8Array, targetId: Uint8Array, resultSize: number) {
    this.#result = new NodesByDistance(targetId, resultSize);
    this.#maxPerReply = Math.max(resultSize, LOOKUP_RESULT_SIZE);
    const self = nodeIdToHex(selfId);
    this.#seen.set(self, 0);
    this.#asked.add(self);
  }

  /**
   * Marks the first `max(resultSize, 16)` of `nodes` as seen at `hop`, offers the new ones to the
   * result list and returns them (the batch to yield).
   */
  addSeen(nodes: readonly Node[], hop: number): Node[] {
    const fresh: Node[] = [];
    for (const node of nodes.slice(0, this.#maxPerReply)) {
      const id = node.idHex;
      if (this.#seen.has(id)) continue;
      this.#seen.set(id, hop);
      this.#result.push(node);
      fresh.push(node);
    }
    return fresh;
  }

  /** The hop of the query to `node`: one more than the hop at which it was seen. */
  hopOf(node: Node): number {
    return (this.#seen.get(node.idHex) ?? 0) + 1;
  }

  /** The closest result node not asked yet, now marked as asked (and counted as queried). */
  nextUnasked(): Node | undefined {
    for (const node of this.#result.entries) {
      const id = node.idHex;
      if (this.#asked.has(id)) continue;
      this.#asked.add(id);
      const c = this.#counters;
      c.queried++;
      c.hops = Math.max(c.hops, (this.#seen.get(id) ?? 0) + 1);
      return node;
    }
    return undefined;
  }

  /** Counts how a query ended. */
  answered(outcome: QueryOutcome, isTimeout: ((err: unknown) => boolean) | undefined): void {
    const c = this.#counters;
    if (!('error' in outcome)) c.replies++;
    else {
      c.failures++;
      if (isTimeout?.(outcome.error) === true) c.timeouts++;
    }
  }

  /** A copy of the result list, nearest first. */
  result(): Node[] {
    return [...this.#result.entries];
  }

  /** The statistics so far. */
  stats(
    deps: Pick<TargetLookupDeps, 'clock' | 'kind'>,
    targetId: Uint8Array,
    startedAtMs: number,
    end: LookupStats['end'],
  ): LookupStats {
    const { queried, replies, failures, timeouts, hops } = this.#counters;
    return {
      kind: deps.kind ?? 'lookup',
      targetId,
      startedAtMs,
      endedAtMs: deps.clock?.now() ?? 0,
      queried,
      replies,
      failures,
      timeouts,
      seen: this.#seen.size - 1,
      hops,
      result: this.result(),
      end,
    };
  }
}
