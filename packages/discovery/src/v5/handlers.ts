/**
 * The service side of discv5 requests from the network (geth `v5_udp.go` `handleFindnode`,
 * `handleTalkRequest`, and the table insertion after a handshake): what the rpc calls through
 * {@link V5RequestHandlers}. Nothing here throws for bad input from the network.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import { relayIpChecker } from '../netutil.ts';
import { hasUsableEndpoint } from '../table/bucket.ts';
import type { V5Context } from './context.ts';
import type { V5RequestHandlers } from './rpc/types.ts';
import { MAX_LOG_DISTANCE } from './wire/constants.ts';

/** Nodes in one FINDNODE answer at most (geth `findnodeResultLimit`). */
export const FINDNODE_RESULT_LIMIT = 16;

/** Distances of one FINDNODE that are looked at; the rest are ignored (bounds the work). */
export const MAX_FINDNODE_DISTANCES = 256;

/** The handlers the service gives its rpc. */
export function requestHandlers(ctx: V5Context): V5RequestHandlers {
  return {
    findNodes: (distances, from) => tableNodesAt(ctx, distances, from.ip),
    talk: (protocol, request, from) => ctx.talk.answer(protocol, request, from),
    seen: (node) => {
      if (!hasUsableEndpoint(node) || !ctx.allowIp(node.ip)) return;
      ctx.metrics.count('nodesSeen');
      ctx.table.addInboundNode(node);
    },
  };
}

/**
 * geth `collectTableNodes`: table nodes at each requested distance (duplicates, 0 and distances
 * over 256 skipped; the rpc answers distance 0 with our record), validated-live ones only unless
 * `findnodeLivenessCheck` is off, leaving out addresses the requester at `fromIp` may not be told
 * about; at most {@link FINDNODE_RESULT_LIMIT}.
 */
function tableNodesAt(ctx: V5Context, distances: readonly number[], fromIp: string): Node[] {
  ctx.metrics.count('findNodeRequests');
  const relayable = relayIpChecker(fromIp);
  const done = new Set<number>();
  const out: Node[] = [];
  for (const d of distances.slice(0, MAX_FINDNODE_DISTANCES)) {
    if (done.has(d) || d < 1 || d > MAX_LOG_DISTANCE) continue;
    done.add(d);
    for (const n of ctx.table.atDistance(d, ctx.config.findnodeLivenessCheck)) {
      if (n.ip === undefined || relayable(n.ip) !== undefined) continue;
      out.push(n);
      if (out.length >= FINDNODE_RESULT_LIMIT) return served(ctx, out);
    }
  }
  return served(ctx, out);
}

function served(ctx: V5Context, nodes: Node[]): Node[] {
  ctx.metrics.count('nodesServed', nodes.length);
  return nodes;
}
