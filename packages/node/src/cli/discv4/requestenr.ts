/**
 * `ethp2p discv4 requestenr <node>`: ask a node for its current record (EIP-868) and print it
 * (geth `discv4 requestenr`).
 * @see https://eips.ethereum.org/EIPS/eip-868
 * @module
 */
import { DiscoveryError } from '@ethp2p/discovery';
import type { CommandSpec } from '../command.ts';
import { describeNode } from '../enr.ts';
import { failure } from '../errors.ts';
import { parseNodeArg } from '../node-arg.ts';
import { addrOption, NODEKEY_OPTION, reachableNode, startDiscovery } from './common.ts';

/** `discv4 requestenr`. */
export const REQUESTENR_COMMAND: CommandSpec = {
  path: ['discv4', 'requestenr'],
  summary: "Request a node's record (EIP-868) and print it with its fields",
  description: 'The first line is the record (enr:...); the decoded fields follow.',
  args: [{ name: 'node', required: true, description: 'enode:// URL or enr: record' }],
  options: { addr: addrOption('0.0.0.0:0'), nodekey: NODEKEY_OPTION },
  examples: ['ethp2p discv4 requestenr enode://<128 hex>@127.0.0.1:30303'],
  async run(ctx) {
    const node = await reachableNode(parseNodeArg(ctx.args[0] ?? ''));
    const { disc, close } = await startDiscovery(ctx);
    try {
      let found: typeof node;
      try {
        found = await disc.requestEnr(node, { signal: ctx.signal });
      } catch (err) {
        if (err instanceof DiscoveryError && err.code === 'TIMEOUT') {
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
