/**
 * The `discv5` command group: the discv4 commands over Node Discovery v5 (geth `devp2p discv5`).
 * @module
 */
import type { CommandSpec, GroupSpec } from '../command.ts';
import { crawlCommand } from '../discv4/crawl.ts';
import { listenCommand } from '../discv4/listen.ts';
import { pingCommand } from '../discv4/ping.ts';
import { requestEnrCommand } from '../discv4/requestenr.ts';
import { resolveCommand } from '../discv4/resolve.ts';
import { DISCV5 } from './common.ts';

/** The `discv5` group. */
export const DISCV5_GROUP: GroupSpec = {
  path: ['discv5'],
  summary: 'Node Discovery v5 tools: ping, record requests, lookups, a standalone node, a crawler',
  examples: [
    'ethp2p discv5 ping enr:-IS4Q...',
    'ethp2p discv5 listen --nodekey bootnode.key',
    'ethp2p discv5 crawl --bootnodes enr:-IS4Q... --timeout 10m nodes.json',
  ],
};

/** The `discv5` commands. */
export const DISCV5_COMMANDS: readonly CommandSpec[] = [
  pingCommand(DISCV5),
  requestEnrCommand(DISCV5),
  resolveCommand(DISCV5),
  listenCommand(DISCV5),
  crawlCommand(DISCV5),
];
