/**
 * `ethp2p discv4 resolve <node>`: find a node's newest record, asking the node itself and then
 * looking its key up in the DHT (geth `discv4 resolve`).
 * @module
 */
import type { CommandSpec } from '../command.ts';
import { describeNode } from '../enr.ts';
import { failure, usageError } from '../errors.ts';
import { parseNodeArg, resolveHostname } from '../node-arg.ts';
import {
  addrOption,
  BOOTNODES_OPTION,
  DISCV4,
  type DiscoveryVersion,
  NODEKEY_OPTION,
  timeoutOption,
  withTimeout,
} from './common.ts';

const DEFAULT_TIMEOUT = '30s';

/** `<group> resolve` of one discovery version. */
export function resolveCommand(v: DiscoveryVersion): CommandSpec {
  return {
    path: [v.group, 'resolve'],
    summary: "Find a node's newest record: ask it, then look its key up in the DHT",
    description:
      'Without --bootnodes, the node itself is the only bootnode, so it needs an address. A\n' +
      'key-only enode:// URL needs --bootnodes. Prints the record (or the enode URL of a node\n' +
      'that does not answer ENR requests) and its fields.',
    args: [
      {
        name: 'node',
        required: true,
        description: 'enode:// URL (may be key only) or enr: record',
      },
    ],
    options: {
      addr: addrOption('0.0.0.0:0'),
      nodekey: NODEKEY_OPTION,
      bootnodes: BOOTNODES_OPTION,
      timeout: timeoutOption(DEFAULT_TIMEOUT, 'give up after this long'),
    },
    examples: [
      `ethp2p ${v.group} resolve enr:-IS4Q...`,
      `ethp2p ${v.group} resolve enode://<128 hex> --bootnodes ${v.exampleNode}`,
    ],
    async run(ctx) {
      const timeoutMs = ctx.options.duration('timeout') ?? 30_000;
      const node = await resolveHostname(parseNodeArg(ctx.args[0] ?? ''));
      const reachable = node.ip !== undefined && node.udp !== undefined;
      const listed = ctx.options.list('bootnodes').length > 0;
      if (!reachable && !listed) {
        throw usageError('the node has no address: give --bootnodes to look it up');
      }
      const extraBootnodes = listed ? [] : [v.usable(node)];
      const { disc, close } = await v.start(ctx, { extraBootnodes });
      try {
        const found = await withTimeout(ctx, timeoutMs, 'node not found', (signal) =>
          disc.resolve(node, { signal }),
        );
        if (found === undefined) throw failure('node not found');
        ctx.out(found.toString());
        for (const line of describeNode(found)) ctx.out(line);
      } finally {
        await close();
      }
    },
  };
}

/** `discv4 resolve`. */
export const RESOLVE_COMMAND: CommandSpec = resolveCommand(DISCV4);
