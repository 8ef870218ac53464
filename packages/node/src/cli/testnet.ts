/**
 * `ethp2p testnet --nodes N`: N full nodes on 127.0.0.x, one process each, that find each other
 * through discovery; a live table until every node has its peers, then a summary.
 * @module
 */

import { liveView, summaryLines, tableLines } from '../testnet/render.ts';
import {
  DEFAULT_TESTNET_NODES,
  MAX_TESTNET_NODES,
  MAX_TESTNET_SYNC_BLOCKS,
  runTestnet,
  TESTNET_TIMEOUT_BASE_MS,
  TESTNET_TIMEOUT_PER_NODE_MS,
  testnetPeerTarget,
  testnetTimeoutMs,
} from '../testnet/testnet.ts';
import type { CommandSpec } from './command.ts';
import { formatDuration } from './durations.ts';
import { failure } from './errors.ts';

/** `testnet`. */
export const TESTNET_COMMAND: CommandSpec = {
  path: ['testnet'],
  summary: 'Run N local nodes on 127.0.0.x until they find each other through discovery',
  description:
    'Starts N `ethp2p node` processes on 127.0.0.1 … 127.0.0.N with a private genesis; node 1 is ' +
    'the bootnode of the others and discovery finds the rest (no static peers). Each node should ' +
    'reach min(N − 1, its dial target) peers: a full mesh for small N. Shows a live table of peers ' +
    'and table size per node (when stdout is not a terminal, one line per change instead), then ' +
    'the final table and a summary: exit 0 once every node has its peers, 1 when the timeout ' +
    'passes. A node short of peers shows what it lacks and its last failed dial. Every child ' +
    'process is stopped on exit. With --sync <blocks>, node 1 starts with a chain of that many ' +
    'blocks and the others with its genesis only: they sync it from their peers, and the run ' +
    'exits 0 once every node has the head hash of node 1.',
  args: [],
  options: {
    nodes: {
      type: 'string',
      valueName: 'n',
      default: String(DEFAULT_TESTNET_NODES),
      description: `number of nodes, 2-${MAX_TESTNET_NODES}`,
    },
    sync: {
      type: 'string',
      valueName: 'blocks',
      description: 'sync mode: node 1 has a chain of this many blocks, the others sync it',
    },
    timeout: {
      type: 'string',
      valueName: 'duration',
      description: `give up after this long (default ${formatDuration(TESTNET_TIMEOUT_BASE_MS)} + ${formatDuration(TESTNET_TIMEOUT_PER_NODE_MS)} per node: ${formatDuration(testnetTimeoutMs(4))} for 4 nodes, ${formatDuration(testnetTimeoutMs(16))} for 16)`,
    },
  },
  examples: [
    'ethp2p testnet',
    'ethp2p testnet --nodes 8 --timeout 2m',
    'ethp2p testnet --nodes 4 --sync 1000',
  ],
  async run(ctx) {
    const nodes = ctx.options.integer('nodes', 2, MAX_TESTNET_NODES) ?? DEFAULT_TESTNET_NODES;
    const timeoutMs = ctx.options.duration('timeout') ?? testnetTimeoutMs(nodes);
    const syncBlocks = ctx.options.integer('sync', 1, MAX_TESTNET_SYNC_BLOCKS);
    const stdout = ctx.io.stdout as { isTTY?: boolean; columns?: number };
    const view = liveView({
      tty: stdout.isTTY === true,
      columns: stdout.columns ?? 80,
      target: testnetPeerTarget(nodes),
    });
    const result = await runTestnet({
      nodes,
      timeoutMs,
      ...(syncBlocks === undefined ? {} : { syncBlocks }),
      signal: ctx.signal,
      onUpdate: (states, elapsedMs) => {
        const text = view(states, elapsedMs);
        if (text !== '') ctx.io.stdout.write(text);
      },
    });
    for (const line of tableLines(result.nodes, result.target, result.elapsedMs)) ctx.out(line);
    const summary = summaryLines(result);
    for (const line of summary) ctx.out(line);
    if (result.outcome === 'timeout') {
      throw failure(
        `${summary[0]}; give it longer with --timeout, e.g. --timeout ${formatDuration(2 * timeoutMs)}`,
      );
    }
    if (result.outcome !== 'converged') throw failure(summary[0] ?? 'failed');
  },
};
