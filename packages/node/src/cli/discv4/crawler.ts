/**
 * The crawl behind `discv4 crawl` (geth `cmd/devp2p/crawl.go`): re-check the nodes of an input
 * set, then walk the DHT with random lookups and ask every new node for its record, scoring
 * each node as geth does (+1 per answer, halved per miss, dropped at 0).
 * @module
 */
import { type Clock, TaskGroup } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { nodeIdToHex } from '@ethp2p/enode';
import type { NodeSet, NodeSetEntry } from './nodeset.ts';

/** What the crawl needs from a discovery node (`DiscoveryV4` fits). */
export interface CrawlSource {
  requestEnr(node: Node, options: { signal?: AbortSignal }): Promise<Node>;
  randomNodes(options: { signal?: AbortSignal }): AsyncIterable<Node>;
}

/** Options of {@link crawl}. */
export interface CrawlOptions {
  readonly source: CrawlSource;
  /** The nodes to re-check first; they are kept, updated or dropped. */
  readonly input: NodeSet;
  /** How long the DHT walk runs after the re-check; 0 skips it. */
  readonly timeoutMs: number;
  /** ENR requests in flight at once. */
  readonly parallel: number;
  /** Time for the walk's deadline and the set's timestamps. */
  readonly clock: Clock;
  /** Ends the crawl early; the set found so far is returned. */
  readonly signal: AbortSignal;
  /** Our own node ID, never checked. */
  readonly selfId?: Uint8Array;
  /** Called after each check with the counts so far and the set's size (for progress lines). */
  readonly onProgress?: (stats: Readonly<CrawlStats>, size: number) => void;
}

/** What happened to the nodes during a crawl. */
export interface CrawlStats {
  /** Nodes that answered for the first time. */
  added: number;
  /** Known nodes that answered again. */
  updated: number;
  /** Known nodes whose score fell to 0. */
  removed: number;
  /** New nodes that did not answer an ENR request. */
  skipped: number;
  /** ENR requests that ended, answered or not (a known node that missed once is only here). */
  queried: number;
}

/** The result of {@link crawl}. */
export interface CrawlResult {
  readonly nodes: NodeSet;
  readonly stats: CrawlStats;
}

/**
 * Crawls: re-checks every input node, then runs random lookups for `timeoutMs` and checks each
 * node they find once. A check that `signal` or the deadline cut short changes nothing.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const { source, clock, signal } = options;
  const output: NodeSet = new Map(options.input);
  const stats: CrawlStats = { added: 0, updated: 0, removed: 0, skipped: 0, queried: 0 };
  const checked = new Set<string>();
  if (options.selfId !== undefined) checked.add(nodeIdToHex(options.selfId));

  const check = async (node: Node, checkSignal: AbortSignal): Promise<void> => {
    const id = nodeIdToHex(node.id);
    if (checked.has(id)) return;
    checked.add(id);
    const now = clock.now();
    let fresh: Node | undefined;
    try {
      fresh = await source.requestEnr(node, { signal: checkSignal });
    } catch {
      if (checkSignal.aborted) return;
    }
    stats.queried++;
    update(output, stats, id, fresh, now);
    options.onProgress?.(stats, output.size);
  };

  const inputNodes = [...options.input.values()].map((e) => e.node).sort(byId);
  await runPool(inputNodes, options.parallel, signal, check);
  if (options.timeoutMs <= 0 || signal.aborted) return { nodes: output, stats };

  const deadline = new AbortController();
  const timer = clock.schedule(options.timeoutMs, () => deadline.abort(new Error('crawl timeout')));
  const walk = AbortSignal.any([signal, deadline.signal]);
  try {
    await runPool(source.randomNodes({ signal: walk }), options.parallel, walk, check);
  } finally {
    timer.cancel();
  }
  return { nodes: output, stats };
}

/** Applies one check's outcome to the set (geth `crawler.updateNode`). */
function update(
  output: NodeSet,
  stats: CrawlStats,
  id: string,
  fresh: Node | undefined,
  now: number,
): void {
  const old = output.get(id);
  if (fresh !== undefined) {
    const first = old?.firstResponse;
    output.set(id, {
      node: fresh,
      score: (old?.score ?? 0) + 1,
      firstResponse: first ?? now,
      lastResponse: now,
      lastCheck: now,
    });
    if (first === undefined) stats.added++;
    else stats.updated++;
    return;
  }
  if (old === undefined || old.score === 0) {
    stats.skipped++;
    return;
  }
  const score = Math.floor(old.score / 2);
  if (score <= 0) {
    output.delete(id);
    stats.removed++;
    return;
  }
  const kept: NodeSetEntry = { ...old, score, lastCheck: now };
  output.set(id, kept);
}

/**
 * Runs `work` on each item of `items` with at most `limit` at once, until the items end or
 * `signal` aborts; waits for the started work before returning, and then throws the first
 * error of any work that failed.
 */
async function runPool<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  signal: AbortSignal,
  work: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const tasks = new TaskGroup({
    onError: (error) => {
      failure ??= { error };
    },
  });
  // Called once a task has left the group, so `tasks.size` is current when the loop wakes.
  let freed: () => void = () => undefined;
  try {
    for await (const item of items) {
      if (signal.aborted || failure !== undefined) break;
      const task = tasks.spawn(work(item, signal));
      task.then(
        () => freed(),
        () => freed(),
      );
      while (tasks.size >= limit) {
        await new Promise<void>((resolve) => {
          freed = resolve;
        });
      }
    }
  } finally {
    await tasks.wait();
  }
  if (failure !== undefined) throw failure.error;
}

function byId(a: Node, b: Node): number {
  const x = nodeIdToHex(a.id);
  const y = nodeIdToHex(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}
