/**
 * The `discv4` command group.
 * @module
 */
import type { CommandSpec, GroupSpec } from '../command.ts';
import { CRAWL_COMMAND } from './crawl.ts';
import { LISTEN_COMMAND } from './listen.ts';
import { PING_COMMAND } from './ping.ts';
import { REQUESTENR_COMMAND } from './requestenr.ts';
import { RESOLVE_COMMAND } from './resolve.ts';
import { RESOLVE_JSON_COMMAND } from './resolve-json.ts';

/** The `discv4` group. */
export const DISCV4_GROUP: GroupSpec = {
  path: ['discv4'],
  summary: 'Node Discovery v4 tools: ping, ENR requests, lookups, a standalone node, a crawler',
  examples: [
    'ethp2p discv4 ping enode://<128 hex>@127.0.0.1:30303',
    'ethp2p discv4 listen --nodekey bootnode.key',
    'ethp2p discv4 resolve-json nodes.json',
    'ethp2p discv4 crawl --bootnodes enode://<128 hex>@10.0.0.1:30303 --timeout 10m nodes.json',
  ],
};

/** The `discv4` commands. */
export const DISCV4_COMMANDS: readonly CommandSpec[] = [
  PING_COMMAND,
  REQUESTENR_COMMAND,
  RESOLVE_COMMAND,
  RESOLVE_JSON_COMMAND,
  LISTEN_COMMAND,
  CRAWL_COMMAND,
];
