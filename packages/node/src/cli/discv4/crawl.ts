/**
 * `ethp2p discv4 crawl [nodes.json]`: walk the DHT and write the nodes that answer as a geth
 * `devp2p` node set (geth `discv4 crawl`).
 * @module
 */
import { systemClock } from '@ethp2p/base';
import { StatusTicker } from '../../node/status.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { formatDuration } from '../durations.ts';
import { usageError } from '../errors.ts';
import {
  addrOption,
  BOOTNODES_OPTION,
  DISCV4,
  type DiscoveryVersion,
  NODEKEY_OPTION,
  PARALLEL_OPTION,
  parallelOf,
  timeoutOption,
} from './common.ts';
import { type CrawlStats, crawl } from './crawler.ts';
import { loadNodeSet, writeNodeSet } from './nodeset-file.ts';

/** Default time between progress lines on stderr (geth prints one every 8 s). */
const PROGRESS_INTERVAL_MS = 10_000;

/** `<group> crawl` of one discovery version. */
export function crawlCommand(v: DiscoveryVersion): CommandSpec {
  return {
    path: [v.group, 'crawl'],
    summary: 'Walk the DHT and write the nodes found as nodes.json (geth devp2p format)',
    description:
      'If the file exists, its nodes are re-checked first (and used as bootnodes). Then random\n' +
      'lookups run until --timeout, and every node found is asked for its record. Nodes that\n' +
      'answer are kept with a score (+1 per answer, halved per miss). Without a file the set is\n' +
      'printed. SIGINT ends the crawl early and still writes what was found. Every --progress\n' +
      'a line on stderr shows the nodes found so far, the ENR requests made and their rate.',
    args: [
      { name: 'nodes.json', required: false, description: 'node set to update (default: print)' },
    ],
    options: {
      addr: addrOption('0.0.0.0:0'),
      nodekey: NODEKEY_OPTION,
      bootnodes: BOOTNODES_OPTION,
      timeout: timeoutOption('30m', 'how long to walk the DHT after the re-check'),
      progress: {
        type: 'string',
        valueName: 'duration',
        default: formatDuration(PROGRESS_INTERVAL_MS),
        description: 'time between progress lines on stderr; 0 for none',
      },
      parallel: PARALLEL_OPTION,
    },
    examples: [
      `ethp2p ${v.group} crawl --bootnodes ${v.exampleNode} --timeout 10m nodes.json`,
      `ethp2p ${v.group} crawl --timeout 30s nodes.json`,
    ],
    async run(ctx) {
      const [file] = ctx.args;
      const timeoutMs = ctx.options.duration('timeout') ?? 30 * 60_000;
      const parallel = parallelOf(ctx);
      const input = file === undefined ? new Map() : await loadNodeSet(file, true);
      // discv5 starts only from nodes with a record.
      const known = [...input.values()]
        .map((e) => e.node)
        .filter(
          (n) =>
            n.ip !== undefined &&
            n.udp !== undefined &&
            (v.group === 'discv4' || n.record !== undefined),
        );
      if (known.length === 0 && ctx.options.list('bootnodes').length === 0) {
        throw usageError('nothing to start from: give --bootnodes or a nodes.json file with nodes');
      }
      const progressMs = ctx.options.duration('progress') ?? PROGRESS_INTERVAL_MS;
      const { disc, close } = await v.start(ctx, { extraBootnodes: known });
      const report = progress(ctx, progressMs, input.size);
      let result: Awaited<ReturnType<typeof crawl>>;
      try {
        result = await crawl({
          source: disc,
          input,
          timeoutMs,
          parallel,
          clock: systemClock,
          signal: ctx.signal,
          selfId: disc.localNode.id,
          onProgress: report.update,
        });
      } finally {
        report.stop();
        await close();
      }
      const { nodes, stats } = result;
      await writeNodeSet(ctx, file, nodes);
      const end = ctx.signal.aborted
        ? 'interrupted'
        : timeoutMs > 0
          ? `walked ${formatDuration(timeoutMs)}`
          : 're-checked the input, no walk';
      ctx.err(`crawl ${end}: ${summary(stats, nodes.size)}`);
    },
  };
}

/** `discv4 crawl`. */
export const CRAWL_COMMAND: CommandSpec = crawlCommand(DISCV4);

/**
 * Prints a progress line every `intervalMs` (none for 0) until stopped, whether or not a node
 * answered since the last one: time so far, the set, ENR requests made and their rate.
 */
function progress(
  ctx: CommandContext,
  intervalMs: number,
  inputSize: number,
): { update: (stats: Readonly<CrawlStats>, size: number) => void; stop: () => void } {
  const started = systemClock.now();
  let latest: { stats: Readonly<CrawlStats>; size: number } = {
    stats: { added: 0, updated: 0, removed: 0, skipped: 0, queried: 0 },
    size: inputSize,
  };
  const ticker =
    intervalMs > 0
      ? new StatusTicker(systemClock, intervalMs, () => {
          const elapsedMs = Math.max(1, systemClock.now() - started);
          const { stats, size } = latest;
          const rate = (stats.queried * 1000) / elapsedMs;
          ctx.err(
            `crawling ${formatDuration(Math.round(elapsedMs / 1000) * 1000)}: ` +
              `${summary(stats, size)}, queried ${stats.queried} (${rate.toFixed(1)}/s)`,
          );
        })
      : undefined;
  ticker?.start();
  return {
    update: (stats, size) => {
      latest = { stats, size };
    },
    stop: () => ticker?.stop(),
  };
}

function summary(stats: Readonly<CrawlStats>, size: number): string {
  return (
    `${size} nodes (added ${stats.added}, updated ${stats.updated}, ` +
    `removed ${stats.removed}, no record ${stats.skipped})`
  );
}
