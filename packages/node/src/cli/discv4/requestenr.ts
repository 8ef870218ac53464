/**
 * `ethp2p discv4 requestenr <node>`: ask a node for its current record (EIP-868) and print it
 * (geth `discv4 requestenr`).
 * @see https://eips.ethereum.org/EIPS/eip-868
 * @module
 */
import type { CommandSpec } from '../command.ts';
import { describeNode } from '../enr.ts';
import { failure } from '../errors.ts';
import { DISCV4, type DiscoveryVersion, nodeQuerySpec, startNodeQuery } from './common.ts';

/** `<group> requestenr` of one discovery version (discv5 asks FINDNODE for distance 0). */
export function requestEnrCommand(v: DiscoveryVersion): CommandSpec {
  return {
    path: [v.group, 'requestenr'],
    summary: "Request a node's record and print it with its fields",
    description: 'The first line is the record (enr:...); the decoded fields follow.',
    ...nodeQuerySpec(v),
    examples: [`ethp2p ${v.group} requestenr ${v.exampleNode}`],
    async run(ctx) {
      const { node, disc, close } = await startNodeQuery(ctx, v);
      try {
        let found: typeof node;
        try {
          found = await disc.requestEnr(node, { signal: ctx.signal });
        } catch (err) {
          if (v.isTimeout(err)) {
            throw failure('node did not answer the ENR request', { cause: err });
          }
          throw err;
        }
        ctx.out(found.toString());
        for (const line of describeNode(found)) ctx.out(line);
      } finally {
        await close();
      }
    },
  };
}

/** `discv4 requestenr`. */
export const REQUESTENR_COMMAND: CommandSpec = requestEnrCommand(DISCV4);
