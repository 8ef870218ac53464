/**
 * `ethp2p discv4 resolve-json <nodes.json>`: ask every node of a set for its record and write
 * the set back with the newer records (geth `discv4 resolve-json`).
 * @module
 */
import { systemClock } from '@ethp2p/base';
import type { CommandSpec } from '../command.ts';
import {
  addrOption,
  NODEKEY_OPTION,
  PARALLEL_OPTION,
  parallelOf,
  startDiscovery,
  timeoutOption,
} from './common.ts';
import { crawl } from './crawler.ts';
import { loadNodeSet, writeNodeSet } from './nodeset-file.ts';

/** `discv4 resolve-json`. */
export const RESOLVE_JSON_COMMAND: CommandSpec = {
  path: ['discv4', 'resolve-json'],
  summary: 'Request the record of every node in nodes.json and write back the newer ones',
  description:
    'Each node is asked for its record once, as the first pass of discv4 crawl does: a node\n' +
    'that answers gets its current record and +1 on its score, one that does not has its\n' +
    'score halved and is dropped at 0. The file is then rewritten and a summary printed.',
  args: [{ name: 'nodes.json', required: true, description: 'node set to update in place' }],
  options: {
    addr: addrOption('0.0.0.0:0'),
    nodekey: NODEKEY_OPTION,
    timeout: timeoutOption('5s', 'how long to wait for one node'),
    parallel: PARALLEL_OPTION,
  },
  examples: [
    'ethp2p discv4 resolve-json nodes.json',
    'ethp2p discv4 resolve-json --parallel 64 nodes.json',
  ],
  async run(ctx) {
    const file = ctx.args[0] ?? '';
    const timeoutMs = ctx.options.duration('timeout') ?? 5000;
    const parallel = parallelOf(ctx);
    const input = await loadNodeSet(file, false);
    const { disc, close } = await startDiscovery(ctx);
    let result: Awaited<ReturnType<typeof crawl>>;
    try {
      result = await crawl({
        source: {
          requestEnr: (node, { signal }) =>
            disc.requestEnr(node, {
              signal: AbortSignal.any([
                ...(signal === undefined ? [] : [signal]),
                AbortSignal.timeout(timeoutMs),
              ]),
            }),
          randomNodes: (options) => disc.randomNodes(options),
        },
        input,
        timeoutMs: 0,
        parallel,
        clock: systemClock,
        signal: ctx.signal,
        selfId: disc.localNode.id,
      });
    } finally {
      await close();
    }
    const { nodes, stats } = result;
    let newer = 0;
    for (const [id, e] of nodes) if (e.node.seq > (input.get(id)?.node.seq ?? 0n)) newer++;
    if (ctx.signal.aborted) ctx.err('resolve-json interrupted; writing the nodes checked so far');
    await writeNodeSet(ctx, file, nodes);
    ctx.out(
      `resolved ${stats.queried} of ${input.size} nodes: ${stats.updated} answered ` +
        `(${newer} newer records), ${input.size - stats.updated - stats.removed} kept without ` +
        `an answer, ${stats.removed} removed`,
    );
  },
};
