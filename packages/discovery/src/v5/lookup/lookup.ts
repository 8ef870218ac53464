/**
 * discv5 lookups (geth `v5_udp.go` `newLookup`/`lookupWorker`): the shared iterative lookup,
 * asking each node FINDNODE for the three log distances nearest the target, alpha at a time.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-theory.md#lookup
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { TargetLookupDeps } from '../../lookup/lookup.ts';
import { lookupTarget } from '../../lookup/lookup.ts';
import { NodesByDistance } from '../../lookup/nodes-by-distance.ts';
import type { V5Context } from '../context.ts';
import { FINDNODE_RESULT_LIMIT } from '../handlers.ts';
import { lookupDistances } from './distances.ts';

/** The lookup's view of the service: the table seeds it, answers are reported back to it. */
export function v5LookupDeps(ctx: V5Context): TargetLookupDeps {
  const selfId = ctx.localNode.id;
  return {
    selfId,
    closest: (targetId, n) => ctx.table.closest(targetId, n, false),
    query: async (node, targetId, signal) => {
      const found = await ctx.rpc.findNode(node, lookupDistances(targetId, node.id), { signal });
      const near = new NodesByDistance(targetId, FINDNODE_RESULT_LIMIT);
      for (const n of found) {
        if (equalBytes(n.id, selfId) || n.ip === undefined || !ctx.allowIp(n.ip)) continue;
        near.push(n);
      }
      return [...near.entries];
    },
    trackRequest: (node, success, found) => {
      void ctx.tasks.spawn(ctx.table.trackRequest(node, success, found));
    },
  };
}

/**
 * Yields the nodes a lookup for `targetId` sees, as they are found (table seed first), after
 * waiting for the first refresh when the table is empty.
 */
export async function* v5LookupNodes(
  ctx: V5Context,
  whenTableReady: (signal: AbortSignal) => Promise<void>,
  targetId: Uint8Array,
  signal: AbortSignal,
): AsyncGenerator<Node, void> {
  if (ctx.table.size === 0) await whenTableReady(signal);
  for await (const batch of lookupTarget(v5LookupDeps(ctx), targetId, { signal })) {
    yield* batch;
  }
}
