/**
 * `ethp2p nodeset info|filter <nodes.json>`: statistics and filters of the node sets that
 * `discv4 crawl` writes (geth `devp2p nodeset`).
 * @module
 */

import { NETWORK_NAMES } from '../node/chain.ts';
import type { CommandContext, CommandSpec, GroupSpec } from './command.ts';
import { loadNodeSet, writeNodeSet } from './discv4/nodeset-file.ts';
import {
  ethNetworkFilter,
  filterNodeSet,
  ipFilter,
  minAgeFilter,
  type NodeSetFilter,
  networkOf,
  nodeSetInfo,
  snapFilter,
  tcpFilter,
  topNodes,
} from './discv4/nodeset-filter.ts';
import { usageError } from './errors.ts';

const NODES_ARG = { name: 'nodes.json', required: true, description: 'the node set to read' };

/** The `nodeset` group. */
export const NODESET_GROUP: GroupSpec = {
  path: ['nodeset'],
  summary: 'Node set tools: statistics and filters of the nodes.json that discv4 crawl writes',
  examples: ['ethp2p nodeset info nodes.json', 'ethp2p nodeset filter nodes.json -snap -limit 20'],
};

/** `nodeset info`. */
export const NODESET_INFO_COMMAND: CommandSpec = {
  path: ['nodeset', 'info'],
  summary: 'Show statistics of a node set: its size, nodes per filter and their ages',
  description:
    "For each filter of 'nodeset filter' the number of nodes that pass it, then how long the\n" +
    'nodes have been answering (last response minus first response), in buckets.',
  args: [NODES_ARG],
  options: {},
  examples: ['ethp2p nodeset info nodes.json'],
  async run(ctx) {
    const set = await loadNodeSet(ctx.args[0] ?? '', false);
    for (const line of nodeSetInfo(set)) ctx.out(line);
  },
};

/** `nodeset filter`. */
export const NODESET_FILTER_COMMAND: CommandSpec = {
  path: ['nodeset', 'filter'],
  summary: 'Print the nodes of a node set that pass every filter, as nodes.json',
  description:
    "Filters are written as in geth's devp2p (-snap, -limit 20) or as flags (--snap,\n" +
    '--limit 20). A node must pass all of them; --limit then keeps the nodes with the highest\n' +
    "scores. Unlike geth, a filter given twice counts once (the last value wins), and geth's\n" +
    '-les-server is not supported.',
  args: [NODES_ARG],
  singleDashFlags: true,
  options: {
    limit: {
      type: 'string',
      valueName: 'n',
      description: 'keep at most n nodes, highest score first',
      env: false,
    },
    ip: {
      type: 'string',
      valueName: 'cidr',
      description: 'IP address in the network (10.0.0.0/8)',
      env: false,
    },
    'min-age': {
      type: 'string',
      valueName: 'duration',
      description: 'answering for at least this long (last minus first response)',
      env: false,
    },
    'eth-network': {
      type: 'string',
      valueName: 'name',
      description: `eth fork ID compatible with ${NETWORK_NAMES.join(', ')}`,
      env: false,
    },
    snap: { type: 'boolean', description: "the record has a 'snap' entry", env: false },
    tcp: {
      type: 'boolean',
      description: 'the node has a TCP port (can be dialed; not in geth)',
      env: false,
    },
  },
  examples: [
    'ethp2p nodeset filter nodes.json -eth-network mainnet -snap -limit 20 > mainnet.json',
    'ethp2p nodeset filter nodes.json --ip 10.0.0.0/8 --min-age 24h',
  ],
  async run(ctx) {
    const filters = filtersOf(ctx);
    const limit = ctx.options.integer('limit', 0, Number.MAX_SAFE_INTEGER);
    const set = await loadNodeSet(ctx.args[0] ?? '', false);
    const kept = filterNodeSet(set, filters);
    await writeNodeSet(ctx, undefined, limit === undefined ? kept : topNodes(kept, limit));
  },
};

function filtersOf(ctx: CommandContext): NodeSetFilter[] {
  const o = ctx.options;
  const filters: NodeSetFilter[] = [];
  const cidr = o.string('ip');
  if (cidr !== undefined) {
    try {
      filters.push(ipFilter(cidr));
    } catch (err) {
      throw usageError(`${o.origin('ip')}: ${(err as Error).message}`);
    }
  }
  const minAge = o.duration('min-age');
  if (minAge !== undefined) filters.push(minAgeFilter(minAge));
  const networkName = o.string('eth-network');
  if (networkName !== undefined) {
    const network = networkOf(networkName);
    if (network === undefined) {
      throw usageError(
        `${o.origin('eth-network')}: unknown network '${networkName}' (${NETWORK_NAMES.join(', ')})`,
      );
    }
    filters.push(ethNetworkFilter(network));
  }
  if (o.boolean('snap')) filters.push(snapFilter);
  if (o.boolean('tcp')) filters.push(tcpFilter);
  return filters;
}

/** The `nodeset` commands. */
export const NODESET_COMMANDS: readonly CommandSpec[] = [
  NODESET_INFO_COMMAND,
  NODESET_FILTER_COMMAND,
];
