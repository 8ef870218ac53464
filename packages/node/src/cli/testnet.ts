/**
 * `ethp2p testnet --nodes N`: N full nodes on 127.0.0.x, one process each, that find each other
 * through discovery; a live table until every node has its peers, then a summary.
 * @module
 */

import { summaryLines, tableLines } from '../testnet/render.ts';
import {
  DEFAULT_TESTNET_NODES,
  MAX_TESTNET_NODES,
  runTestnet,
  testnetPeerTarget,
} from '../testnet/testnet.ts';
import type { CommandSpec } from './command.ts';
import { failure } from './errors.ts';

/** `testnet`. */
export const TESTNET_COMMAND: CommandSpec = {
  path: ['testnet'],
  summary: 'Run N local nodes on 127.0.0.x until they find each other through discovery',
  description:
    'Starts N `ethp2p node` processes on 127.0.0.1 … 127.0.0.N with a private genesis; node 1 is ' +
    'the bootnode of the others and discovery finds the rest (no static peers). Each node should ' +
    'reach min(N − 1, its dial target) peers: a full mesh for small N. Shows a live table of peers ' +
    'and table size per node, then exits 0 with a summary once every node has its peers, or 1 ' +
    'with the same summary when the timeout passes. Every child process is stopped on exit.',
  args: [],
  options: {
    nodes: {
      type: 'string',
      valueName: 'n',
      default: String(DEFAULT_TESTNET_NODES),
      description: `number of nodes, 2-${MAX_TESTNET_NODES}`,
    },
    timeout: {
      type: 'string',
      valueName: 'duration',
      default: '60s',
      description: 'give up after this long',
    },
  },
  examples: ['ethp2p testnet', 'ethp2p testnet --nodes 8 --timeout 2m'],
  async run(ctx) {
    const nodes = ctx.options.integer('nodes', 2, MAX_TESTNET_NODES) ?? DEFAULT_TESTNET_NODES;
    const timeoutMs = ctx.options.duration('timeout') ?? 60_000;
    const tty = (ctx.io.stdout as { isTTY?: boolean }).isTTY === true;
    let drawn = 0;
    let lastDraw = -1;
    const result = await runTestnet({
      nodes,
      timeoutMs,
      signal: ctx.signal,
      onUpdate: (states, elapsedMs) => {
        const second = Math.floor(elapsedMs / 1000);
        if (second === lastDraw) return;
        lastDraw = second;
        const lines = tableLines(states, testnetPeerTarget(nodes), elapsedMs);
        if (tty) {
          const up = drawn > 0 ? `\x1b[${drawn}A` : '';
          ctx.io.stdout.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
          drawn = lines.length;
        } else {
          for (const line of lines) ctx.out(line);
        }
      },
    });
    for (const line of tableLines(result.nodes, result.target, result.elapsedMs)) ctx.out(line);
    for (const line of summaryLines(result)) ctx.out(line);
    if (result.outcome !== 'converged') throw failure(summaryLines(result)[0] ?? 'failed');
  },
};
