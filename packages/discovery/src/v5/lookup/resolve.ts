/**
 * geth `UDPv5.Resolve` for discv5, returning `undefined` instead of the argument when nothing is
 * found: prefer a newer table record, ask the node for its record (FINDNODE [0]), then look up
 * its ID and take the newest record a lookup finds.
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { hasUsableEndpoint } from '../../table/bucket.ts';
import type { V5Context } from '../context.ts';
import { requestRecord } from '../table/revalidator.ts';
import { v5LookupNodes } from './lookup.ts';

/** The newest record of `node` found, or `undefined` when it was not found at all. */
export async function resolveV5(
  ctx: V5Context,
  whenTableReady: (signal: AbortSignal) => Promise<void>,
  node: Node,
  signal: AbortSignal,
): Promise<Node | undefined> {
  const inTable = ctx.table.get(node.id);
  const best = inTable !== undefined && inTable.seq > node.seq ? inTable : node;
  if (hasUsableEndpoint(best)) {
    try {
      const record = await requestRecord(ctx.rpc, best, signal);
      if (record !== undefined) return record;
    } catch (err) {
      signal.throwIfAborted();
      ctx.logger.debug('resolve: record request failed', { err: String(err) });
    }
  }
  let found: Node | undefined = inTable;
  for await (const n of v5LookupNodes(ctx, whenTableReady, node.id, signal)) {
    if (equalBytes(n.id, node.id) && (found === undefined || n.seq > found.seq)) found = n;
  }
  return found;
}
