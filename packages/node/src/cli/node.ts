/**
 * `ethp2p node`: run the full node (discovery v4, the devp2p server, eth/68 to eth/72) until
 * SIGINT or SIGTERM, printing its enode URL, its record and a status line every 10 s.
 * @module
 */
import type { WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Logger } from '@ethp2p/base';
import { NodeError } from '../node/errors.ts';
import { FullNode } from '../node/full-node.ts';
import { createLineLogger, jsonLine, LOG_FORMAT } from '../node/logger.ts';
import { formatStatusLine, type NodeStatus, statusFields } from '../node/status.ts';
import type { CommandContext, CommandSpec } from './command.ts';
import { formatDuration } from './durations.ts';
import { failure } from './errors.ts';
import type { CliOutput } from './io.ts';
import { NODE_OPTIONS, type NodeCommandConfig, nodeCommandConfig } from './node-options.ts';

const DESCRIPTION = `Prints the node's enode:// URL and its enr: record, one per line, then a status line every
10 s: peers in and out by client, discovery table size, dials, bytes on the wire. Logs go to stderr, or to --log.file.
SIGINT or SIGTERM stops it cleanly (peers get Disconnect(ClientQuitting), the node database is
closed) and it exits 0; a second signal more than 1 s later exits at once (130, or 143 for SIGTERM).
If stdout's or stderr's reader goes away (| head -2), that stream is dropped and the node runs on.

The datadir holds LOCK (one node per datadir), nodekey (created with mode 0600 and reused),
nodes/ (the node database) and, with --genesis, chaindata/ (the chain: blocks, receipts, state). Nothing is written to a datadir another node has locked, and a
start that fails (a port in use, a bad --listen.ip) removes what it created.
--nodekey <file> (read, never written) or --nodekeyhex <hex> replace the datadir's nodekey.

--http serves JSON-RPC (admin, net, web3, eth and ethp2p methods) at http://127.0.0.1:8545 and
--ws over WebSocket at ws://127.0.0.1:8546 (--http.addr, --http.port, --ws.addr, --ws.port); call
it with ethp2p rpc <url> <method>. --dashboard adds a live page of the node (peers, discovery
table, dial activity, traffic) at / of the HTTP port, its WebSocket at /dashboard/ws.

geth's flag names work where ethp2p has the feature: --nodekey, --nodekeyhex, --identity,
--maxpendpeers, --netrestrict (peers and discovery), --discovery.dns, --verbosity, --log.file,
--metrics, --http, --ws.

--metrics serves Prometheus metrics (geth's p2p names, discovery, process) on their own HTTP
server at http://127.0.0.1:6060/debug/metrics/prometheus (geth's path) and /metrics; move it with
--metrics.addr and --metrics.port.

Besides discovery v4 and v5, the node dials the nodes of DNS node lists (EIP-1459): a built-in
network's public list by default, or --discovery.dns <enrtree:// URLs> ("" for none;
--nodiscover turns them off too, as in geth), looked up through --discovery.dns.server.

Built-in networks run at their genesis block: ethp2p ships no chain data, so the node announces
head = genesis with the network's genesis hash and fork ID. Live peers accept that Status, but
the node has no blocks to serve and is stale to them: they may drop it as useless. For a chain
with blocks, give --genesis and --chain (a geth export): the node executes every block it has not
stored yet into chaindata/ (the state root, receipts root, logs bloom and gas used of each must
match its header) and serves them with their receipts; a restart resumes from the stored head.`;

/** `ethp2p node`. */
export const NODE_COMMAND: CommandSpec = {
  path: ['node'],
  summary: 'Run the full node: discovery v4, RLPx server, eth/68 to eth/72',
  description: DESCRIPTION,
  args: [],
  options: NODE_OPTIONS,
  examples: [
    'ethp2p node --network sepolia',
    'ethp2p node --genesis genesis.json --chain chain.rlp --datadir ./n1 --port 30305 --nodiscover',
    'ethp2p node --datadir ./n2 --port 0 --bootnodes enode://<128 hex>@127.0.0.1:30305',
    'ethp2p node --network sepolia --metrics --metrics.port 6060',
    'ethp2p node --network sepolia --http --dashboard',
  ],
  run: runNode,
};

async function runNode(ctx: CommandContext): Promise<void> {
  const config = await guard(() => nodeCommandConfig(ctx.options));
  const json = config.logFormat === LOG_FORMAT.JSON;
  const logFile = config.logFile === undefined ? undefined : await openLogFile(config.logFile);
  let output: CliOutput = logFile ?? ctx.io.stderr;
  // A log file that fails (a full disk) must not crash the node: its lines go to stderr instead.
  logFile?.on('error', (err: NodeJS.ErrnoException) => {
    if (output !== logFile) return;
    output = ctx.io.stderr;
    const { origin, path } = config.logFile ?? { origin: '--log.file', path: '' };
    ctx.err(
      `ethp2p: ${origin} ${path}: write failed (${err.code ?? err.message}); logging to stderr from now on`,
    );
  });
  const logger = createLineLogger({
    write: (line) => output.write(`${line}\n`),
    format: config.logFormat,
    verbosity: config.verbosity,
  });
  try {
    await runNodeWith(ctx, config, logger, json);
  } finally {
    if (logFile !== undefined) await closeLogFile(logFile);
  }
}

async function runNodeWith(
  ctx: CommandContext,
  config: NodeCommandConfig,
  logger: Logger,
  json: boolean,
): Promise<void> {
  const node = new FullNode({ ...config.node, logger });
  node.events.on('status', ({ status }) => ctx.out(statusText(status, json)));
  const started = Date.now();
  await guard(() => node.start());
  try {
    const self = node.self();
    const enr = self.record?.encodeText() ?? '';
    if (json) {
      ctx.out(jsonLine(Date.now(), 'info', 'node started', { enode: self.enodeUrl(), enr }));
    } else {
      ctx.out(self.enodeUrl());
      ctx.out(enr);
    }
    await aborted(ctx.signal);
    logger.info('shutting down; a second signal exits at once');
  } finally {
    await node.stop();
  }
  const uptime = formatDuration(Math.round(Math.max(0, Date.now() - started) / 1000) * 1000);
  ctx.out(json ? jsonLine(Date.now(), 'info', 'stopped', { uptime }) : `stopped after ${uptime}`);
}

function statusText(status: NodeStatus, json: boolean): string {
  return json
    ? jsonLine(Date.now(), 'info', 'status', statusFields(status))
    : formatStatusLine(status);
}

/**
 * Opens `--log.file` for appending (mode 0644 when created).
 * @throws {CliError} `FAILED` naming the flag, the path and the reason
 */
async function openLogFile({
  path,
  origin,
}: NonNullable<NodeCommandConfig['logFile']>): Promise<WriteStream> {
  try {
    const handle = await open(path, 'a', 0o644);
    return handle.createWriteStream();
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw failure(`${origin} ${path}: cannot open (${reason})`, { cause: err });
  }
}

/** Flushes and closes the log file (at once if it failed). */
function closeLogFile(stream: WriteStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.end(() => resolve());
  });
}

/** Runs `work`, turning a {@link NodeError} into a one-line CLI failure. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NodeError) throw failure(err.message, { cause: err });
    throw err;
  }
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
