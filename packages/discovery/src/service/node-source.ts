/**
 * The node source the dialer pulls from (ARCHITECTURE.md): `lookup` and `resolve` on top of the
 * iterative lookup, the table and the client (geth `v4_udp.go` `LookupPubkey`, `Resolve`).
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { randomNodes } from '../lookup/iterators.ts';
import type { LookupDeps, LookupOptions } from '../lookup/lookup.ts';
import { lookupBatches, runLookup } from '../lookup/lookup.ts';
import type { LookupKind, LookupStats } from '../lookup/stats.ts';
import type { Table } from '../table/table.ts';
import { findnode, requestEnr } from './client.ts';
import type { ServiceContext } from './context.ts';
import { DiscoveryError } from './errors.ts';

/**
 * The lookup's view of the service: the table seeds it, findnode answers are reported back, and
 * its statistics go to `ctx.lookupDone` labelled `kind`.
 */
export function lookupDeps(ctx: ServiceContext, kind: LookupKind): LookupDeps {
  return {
    selfId: ctx.localNode.id,
    closest: (targetId, n) => ctx.table.closest(targetId, n, false),
    findnode: (node, target, signal) => findnode(ctx, node, target, signal),
    trackRequest: (node, success, found) => {
      void ctx.tasks.spawn(ctx.table.trackRequest(node, success, found));
    },
    onDone: (stats) => ctx.lookupDone(stats),
    isTimeout: (err) => err instanceof DiscoveryError && err.code === 'TIMEOUT',
    clock: ctx.clock,
    kind,
  };
}

/** The lookup options of the service: its signal and the configured fan-out. */
function lookupOptions(ctx: ServiceContext, signal: AbortSignal): LookupOptions {
  return { signal, alpha: ctx.config.lookupAlpha };
}

/**
 * Yields the nodes a lookup for `targetPublicKey` sees, as they are found (table seed first,
 * then each query's new nodes), not sorted by distance. On an empty table it first waits with
 * `whenEmpty` ({@link nodeOrRefreshed}: a node added, or the bootstrap refresh over), then looks
 * up from what is there: on a table still empty it ends at once, having yielded nothing.
 */
export async function* lookupNodes(
  ctx: ServiceContext,
  whenEmpty: (signal: AbortSignal) => Promise<void>,
  targetPublicKey: Uint8Array,
  signal: AbortSignal,
  kind: LookupKind = 'lookup',
): AsyncGenerator<Node, void> {
  if (ctx.table.size === 0) await whenEmpty(signal);
  const deps = lookupDeps(ctx, kind);
  for await (const batch of lookupBatches(deps, targetPublicKey, lookupOptions(ctx, signal))) {
    yield* batch;
  }
}

/**
 * Runs a lookup for `targetPublicKey` to completion, bootstrapping first on an empty table like
 * {@link lookupNodes}, and resolves its statistics (the result included).
 */
export async function lookupStats(
  ctx: ServiceContext,
  whenEmpty: (signal: AbortSignal) => Promise<void>,
  targetPublicKey: Uint8Array,
  signal: AbortSignal,
): Promise<LookupStats> {
  if (ctx.table.size === 0) await whenEmpty(signal);
  let stats: LookupStats | undefined;
  const deps = lookupDeps(ctx, 'lookup');
  const onDone = deps.onDone;
  await runLookup(
    {
      ...deps,
      onDone: (s) => {
        stats = s;
        onDone?.(s);
      },
    },
    targetPublicKey,
    lookupOptions(ctx, signal),
  );
  if (stats === undefined) throw new Error('unreachable: a finished lookup reports its stats');
  return stats;
}

/**
 * geth `Resolve`, returning `undefined` instead of `node` when nothing is found: (1) ask `node`
 * for its record directly; (2) if the table holds a newer record of it (or `node` has no
 * endpoint), ask that one; (3) look up its key and ask any match. When the node was found (in
 * the table or by the lookup) but would not send its record (ethereumjs has no ENRRequest), that
 * form is returned; `undefined` means it was not found at all.
 */
export async function resolveNode(
  ctx: ServiceContext,
  whenEmpty: (signal: AbortSignal) => Promise<void>,
  node: Node,
  signal: AbortSignal,
): Promise<Node | undefined> {
  const reachable = !node.incomplete && node.udp !== undefined;
  if (reachable) {
    const direct = await tryRequestEnr(ctx, node, signal);
    if (direct !== undefined) return direct;
  }
  let known: Node | undefined;
  const inTable = ctx.table.get(node.id);
  if (inTable !== undefined && (!reachable || inTable.seq > node.seq)) {
    known = inTable;
    const fromTable = await tryRequestEnr(ctx, inTable, signal);
    if (fromTable !== undefined) return fromTable;
  }
  for await (const found of lookupNodes(ctx, whenEmpty, node.publicKey, signal, 'resolve')) {
    if (!equalBytes(found.id, node.id)) continue;
    const record = await tryRequestEnr(ctx, found, signal);
    if (record !== undefined) return record;
    known ??= found;
  }
  return known;
}

async function tryRequestEnr(
  ctx: ServiceContext,
  node: Node,
  signal: AbortSignal,
): Promise<Node | undefined> {
  try {
    return await requestEnr(ctx, node, signal);
  } catch (err) {
    signal.throwIfAborted();
    ctx.logger.debug('resolve: enr request failed', { node: node.enodeUrl(), err: String(err) });
    return undefined;
  }
}

/** Runs one lookup to completion (the refresh's lookups, counted as `refresh`). */
export function runServiceLookup(
  ctx: ServiceContext,
  targetPublicKey: Uint8Array,
  signal: AbortSignal,
): Promise<Node[]> {
  return runLookup(lookupDeps(ctx, 'refresh'), targetPublicKey, lookupOptions(ctx, signal));
}

/**
 * Resolves once `table` holds a node. When it is empty, waits for a node to be added, or for the
 * first refresh to end with nodes (geth `lookupIterator` waiting for `tab.initDone`).
 * @throws `signal.reason` when aborted
 */
export function waitForTable(
  table: Table,
  initDone: Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  return waitForNode(table, () => initDone.then(() => table.size > 0), signal);
}

/**
 * What a lookup on an empty table waits for: a node added to the table, or the end of the
 * refresh `refresh()` runs or joins (the bootstrap; geth `LookupPubkey` waits for it), whatever
 * it found. The refresh is started only when the table is empty.
 * @throws `signal.reason` when aborted
 */
export function nodeOrRefreshed(
  table: Table,
  refresh: () => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  return waitForNode(table, () => refresh().then(() => true), signal);
}

/**
 * Resolves at once when `table` holds a node; else when a node is added, or when `done()`'s
 * promise resolves `true`.
 */
async function waitForNode(
  table: Table,
  done: () => Promise<boolean>,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  if (table.size > 0) return;
  let onAdded = (): void => undefined;
  let onAbort = (): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onAdded = () => resolve();
    onAbort = () => reject(signal.reason);
    void done().then((end) => {
      if (end) resolve();
    });
  });
  table.events.once('node:added', onAdded);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await ready;
  } finally {
    table.events.off('node:added', onAdded);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Successive random-target lookups, yielding what each one sees (geth `RandomNodes`, via the
 * lookup module's iterator): at most one lookup start per second, waiting for the table when a
 * lookup finds nothing. The iteration ends quietly when `signal` aborts.
 */
export function serviceRandomNodes(
  ctx: ServiceContext,
  whenTableReady: (signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): AsyncIterable<Node> {
  const deps = lookupDeps(ctx, 'random-nodes');
  return randomNodes(
    {
      lookup: (target, s) => lookupBatches(deps, target, lookupOptions(ctx, s)),
      waitForTable: whenTableReady,
      clock: ctx.clock,
      random: ctx.random,
    },
    { signal },
  );
}
