/**
 * Revalidation of discv5 table entries over the rpc (geth `v5_udp.go` as the table's
 * `transport`): PING for liveness; when the PONG's enr-seq is higher than the record's, the new
 * record is fetched with FINDNODE for distance 0.
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { Revalidator } from '../../table/revalidation.ts';
import type { V5Context } from '../context.ts';
import type { V5Rpc } from '../rpc/types.ts';

/** The table's revalidator for discv5. */
export function v5Revalidator(ctx: V5Context): Revalidator {
  return {
    ping: async (node, signal) => ({ seq: (await ctx.rpc.ping(node, { signal })).enrSeq }),
    requestEnr: async (node, signal) => {
      const record = await requestRecord(ctx.rpc, node, signal);
      if (record !== undefined) ctx.metrics.count('recordsRefetched');
      return record;
    },
  };
}

/**
 * `node`'s current record: FINDNODE [0] (geth `RequestENR`). `undefined` unless the answer is
 * exactly one record of that node.
 */
export async function requestRecord(
  rpc: V5Rpc,
  node: Node,
  signal?: AbortSignal,
): Promise<Node | undefined> {
  const found = await rpc.findNode(node, [0], signal === undefined ? {} : { signal });
  const [record] = found;
  if (found.length !== 1 || record === undefined || !equalBytes(record.id, node.id)) {
    return undefined;
  }
  return record;
}
