/**
 * `ethp2p discv4 listen`: run a standalone discovery v4 node until SIGINT or SIGTERM
 * (geth `discv4 listen`, or `bootnode`).
 * @module
 */
import type { CommandSpec } from '../command.ts';
import {
  addrOption,
  BOOTNODES_OPTION,
  DISCV4,
  type DiscoveryVersion,
  NODEKEY_OPTION,
} from './common.ts';

/** `<group> listen` of one discovery version. */
export function listenCommand(v: DiscoveryVersion): CommandSpec {
  return {
    path: [v.group, 'listen'],
    summary: `Run a ${v.title} node (e.g. a bootnode) until interrupted`,
    description:
      'Prints its enode:// URL and its enr: record, one per line, then answers other nodes until\n' +
      'SIGINT or SIGTERM, and says "stopped" on stderr once it has. On 0.0.0.0 the record says\n' +
      '127.0.0.1 until other nodes tell it its external address.',
    args: [],
    options: {
      addr: addrOption('0.0.0.0:30301'),
      nodekey: NODEKEY_OPTION,
      bootnodes: BOOTNODES_OPTION,
      nodedb: {
        type: 'string',
        valueName: 'dir',
        description: 'node database directory (default: in memory)',
      },
    },
    examples: [
      `ethp2p ${v.group} listen --nodekey bootnode.key`,
      `ethp2p ${v.group} listen --addr 127.0.0.1:30301 --nodedb ./nodes`,
    ],
    async run(ctx) {
      const nodedb = ctx.options.string('nodedb');
      const { disc, close } = await v.start(ctx, nodedb === undefined ? {} : { nodedb });
      try {
        const self = disc.self();
        ctx.out(self.enodeUrl());
        ctx.out(self.toString());
        await aborted(ctx.signal);
      } finally {
        await close();
      }
      ctx.err('stopped');
    },
  };
}

/** `discv4 listen`. */
export const LISTEN_COMMAND: CommandSpec = listenCommand(DISCV4);

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
