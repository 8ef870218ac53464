/**
 * `ethp2p sim`: runs N discv4 nodes with the simulated identity on an in-memory network in
 * virtual time, prints progress and a report of convergence, lookup recall and costs, and writes
 * `sim.json` and `sim.svg` (table fill and recall over virtual time).
 * @module
 */
import {
  checkSimOptions,
  DEFAULT_SIM_OPTIONS,
  parseBootstrap,
  parseWorkers,
  type SimOptions,
} from '../sim/options.ts';
import { progressLine, reportLines, writeReport } from '../sim/report.ts';
import { runSimulation } from '../sim/run.ts';
import type { CommandContext, CommandSpec } from './command.ts';
import { formatDuration, parseDuration } from './durations.ts';
import { usageError } from './errors.ts';

const D = DEFAULT_SIM_OPTIONS;

/** The most random lookups per refresh discv4 accepts (`config.refreshRandomLookups`). */
const MAX_REFRESH_LOOKUPS = 16;

/** `ethp2p sim`. */
export const SIM_COMMAND: CommandSpec = {
  path: ['sim'],
  summary: 'Simulate a discv4 network of N nodes in one process on virtual time',
  description:
    'Every node runs the real discv4 service with the simulated identity (packets carry the\n' +
    'public key instead of a signature) on an in-memory network whose clock is virtual: time\n' +
    'jumps from one timer to the next. Nodes join over --join, each knowing the first node\n' +
    '(--bootstrap one) or K random earlier ones (random:K). At each --recall-at time, --lookups\n' +
    'lookups for random targets are compared with the true 16 closest nodes (brute force).\n' +
    'Progress goes to stderr, the report to stdout, sim.json and sim.svg to --out.',
  args: [],
  options: {
    nodes: {
      type: 'string',
      default: String(D.nodes),
      description: 'nodes in the network',
      env: false,
    },
    duration: {
      type: 'string',
      valueName: 'duration',
      default: formatDuration(D.durationMs),
      description: 'virtual time to simulate',
      env: false,
    },
    seed: {
      type: 'string',
      default: String(D.seed),
      description: 'seed of keys, targets and losses',
      env: false,
    },
    bootstrap: {
      type: 'string',
      valueName: 'one|random:K',
      default: 'random:3',
      description: 'what a joining node knows: the first node, or K random earlier nodes',
      env: false,
    },
    join: {
      type: 'string',
      valueName: 'duration',
      default: formatDuration(D.joinMs),
      description: 'virtual window over which the nodes join, one after another',
      env: false,
    },
    refresh: {
      type: 'string',
      valueName: 'duration',
      description:
        "every node's refresh interval (default discv4's 30m, geth's): a refresh is a self lookup and 3 random ones, every half to whole interval; a shorter one models nodes that keep looking up, as a geth node's dialer does",
      env: false,
    },
    'refresh-lookups': {
      type: 'string',
      valueName: 'N',
      description:
        "random-target lookups per refresh after the self lookup, 0 to 16 (default 3, geth's); 0 makes every refresh a self lookup only",
      env: false,
    },
    latency: {
      type: 'string',
      valueName: 'duration',
      default: formatDuration(D.latencyMs),
      description: 'one-way delay of every datagram; 0 delivers at once',
      env: false,
    },
    jitter: {
      type: 'string',
      valueName: 'duration',
      default: '0',
      description: 'extra delay per datagram, uniform in [0, jitter)',
      env: false,
    },
    loss: {
      type: 'string',
      valueName: 'share',
      default: '0',
      description: 'share of datagrams lost, 0 to <1',
      env: false,
    },
    'recall-at': {
      type: 'string',
      valueName: 'durations',
      description:
        'virtual times to measure lookup recall at (default: a quarter, half and the end)',
      env: false,
    },
    lookups: {
      type: 'string',
      default: String(D.lookups),
      description: 'lookups per recall measurement',
      env: false,
    },
    'sample-every': {
      type: 'string',
      valueName: 'duration',
      default: formatDuration(D.sampleEveryMs),
      description: 'virtual time between table samples (the chart points)',
      env: false,
    },
    out: {
      type: 'string',
      valueName: 'dir',
      default: 'sim-out',
      description: 'where sim.json and sim.svg go',
      env: false,
    },
    workers: {
      type: 'string',
      valueName: 'N|auto',
      default: '1',
      description:
        'worker threads to spread the nodes over (auto: one per core); 1 runs on this thread',
      env: false,
    },
    progress: {
      type: 'string',
      valueName: 'duration',
      default: '5s',
      description: 'wall time between progress lines on stderr; 0 for none',
      env: false,
    },
  },
  examples: [
    'ethp2p sim --nodes 1000 --duration 2m',
    'ethp2p sim --nodes 10000 --duration 2m --join 30s --out sim-10k',
    'ethp2p sim --nodes 200 --bootstrap one --latency 50ms --jitter 20ms --loss 0.05',
  ],
  async run(ctx) {
    const options = simOptions(ctx);
    const progressMs = ctx.options.duration('progress') ?? 5000;
    const result = await runSimulation(options, {
      signal: ctx.signal,
      progressEveryMs: progressMs,
      ...(progressMs > 0 ? { onProgress: (p) => ctx.err(progressLine(p)) } : {}),
    });
    for (const line of reportLines(result)) ctx.out(line);
    const files = await writeReport(ctx.options.string('out') ?? 'sim-out', result);
    ctx.out(`wrote ${files.json} and ${files.svg}`);
  },
};

/** The options of the command line, checked. */
function simOptions(ctx: CommandContext): SimOptions {
  const durationMs = ctx.options.duration('duration') ?? D.durationMs;
  const recallAt = ctx.options.list('recall-at');
  const refreshMs = ctx.options.duration('refresh');
  if (refreshMs !== undefined && refreshMs <= 0)
    throw usageError('--refresh: expected a positive duration');
  const refreshLookups = ctx.options.integer('refresh-lookups', 0, MAX_REFRESH_LOOKUPS);
  const config = {
    ...(refreshMs === undefined ? {} : { refreshIntervalMs: refreshMs }),
    ...(refreshLookups === undefined ? {} : { refreshRandomLookups: refreshLookups }),
  };
  const options: SimOptions = {
    nodes: ctx.options.integer('nodes', 1, 1_000_000) ?? D.nodes,
    durationMs,
    seed: ctx.options.integer('seed', 0, 2 ** 31 - 1) ?? D.seed,
    bootstrap: parsed('--bootstrap', () =>
      parseBootstrap(ctx.options.string('bootstrap') ?? 'random:3'),
    ),
    joinMs: ctx.options.duration('join') ?? D.joinMs,
    latencyMs: ctx.options.duration('latency') ?? D.latencyMs,
    jitterMs: ctx.options.duration('jitter') ?? D.jitterMs,
    loss: parsed('--loss', () => Number(ctx.options.string('loss') ?? '0')),
    sampleEveryMs: ctx.options.duration('sample-every') ?? D.sampleEveryMs,
    recallAtMs:
      recallAt.length > 0
        ? parsed('--recall-at', () => recallAt.map(parseDuration))
        : [durationMs / 4, durationMs / 2, durationMs].map(Math.round),
    lookups: ctx.options.integer('lookups', 1, 100_000) ?? D.lookups,
    workers: parsed('--workers', () => parseWorkers(ctx.options.string('workers') ?? '1')),
    ...(Object.keys(config).length === 0 ? {} : { config }),
  };
  try {
    return checkSimOptions(options);
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function parsed<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw usageError(`${flag}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
