/**
 * What the discv4 commands share: their flags and a discovery node that lives for one command.
 * @module
 */
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryError, DiscoveryV4 } from '@ethp2p/discovery';
import { loadNodeKey, type Node, NodeDatabase } from '@ethp2p/enode';
import type { OptionSpec } from '../args.ts';
import type { CommandContext, CommandSpec } from '../command.ts';
import { formatDuration } from '../durations.ts';
import { failure } from '../errors.ts';
import { parseHostPort, parseNodeArg, parseNodeList, resolveHostname } from '../node-arg.ts';

/** `--addr`: where the discovery node listens. */
export function addrOption(fallback: string): OptionSpec {
  return {
    type: 'string',
    valueName: 'ip:port',
    default: fallback,
    description: 'UDP address to listen on (port 0: any free port)',
  };
}

/** `--nodekey`: the identity to use instead of a new random one. */
export const NODEKEY_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'file',
  description: 'node key file (default: a new random key)',
};

/** `--bootnodes`: where the table starts. */
export const BOOTNODES_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'list',
  description: 'comma-separated enode:// URLs or enr: records to start from',
};

/** `--parallel`: ENR requests in flight at once. */
export const PARALLEL_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'n',
  default: '16',
  description: 'ENR requests in flight at once',
};

/** The `--parallel` value. */
export function parallelOf(ctx: CommandContext): number {
  return ctx.options.integer('parallel', 1, 1024) ?? 16;
}

/** `--timeout` with a command-specific default. */
export function timeoutOption(fallback: string, what: string): OptionSpec {
  return { type: 'string', valueName: 'duration', default: fallback, description: what };
}

/** What the discv4 and discv5 commands use of a discovery node. */
export interface CliDiscovery {
  readonly localNode: { readonly id: Uint8Array };
  self(): Node;
  /** The PONG's record seq (`undefined` when it carried none). */
  ping(
    node: Node,
    options: { signal?: AbortSignal },
  ): Promise<{ readonly seq: bigint | undefined }>;
  requestEnr(node: Node, options: { signal?: AbortSignal }): Promise<Node>;
  resolve(node: Node, options: { signal?: AbortSignal }): Promise<Node | undefined>;
  randomNodes(options: { signal?: AbortSignal }): AsyncIterable<Node>;
}

/** A discovery node for one command, and how to shut it down. */
export interface DiscoverySession<D = DiscoveryV4> {
  readonly disc: D;
  /** Stops the node and closes its database; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The differences between the discv4 and discv5 command groups; the commands themselves are
 * shared (`pingCommand(version)` and so on).
 */
export interface DiscoveryVersion {
  /** The group name: `discv4` or `discv5`. */
  readonly group: 'discv4' | 'discv5';
  /** As written in help texts: `discovery v4`. */
  readonly title: string;
  /** A node argument for the examples. */
  readonly exampleNode: string;
  /** What a node argument may be, for the help. */
  readonly nodeArg: string;
  /** Starts a node for one command from its flags. */
  start(ctx: CommandContext, options?: StartOptions): Promise<DiscoverySession<CliDiscovery>>;
  /** Whether `err` is the version's "no answer in time". */
  isTimeout(err: unknown): boolean;
  /** Checks a node this version can talk to (discv5 needs its record). @throws {CliError} */
  usable(node: Node): Node;
}

/** The discv4 commands' version. */
export const DISCV4: DiscoveryVersion = {
  group: 'discv4',
  title: 'discovery v4',
  exampleNode: 'enode://<128 hex>@127.0.0.1:30303',
  nodeArg: 'enode:// URL or enr: record',
  start: (ctx, options) => startDiscovery(ctx, options),
  isTimeout: (err) => err instanceof DiscoveryError && err.code === 'TIMEOUT',
  usable: (node) => node,
};

/** Options of {@link startDiscovery} beyond the flags. */
export interface StartOptions {
  /** Bootnodes besides `--bootnodes`. */
  readonly extraBootnodes?: readonly Node[];
  /** A directory for a persistent node database; default in memory. */
  readonly nodedb?: string;
}

/**
 * Starts a discovery v4 node from the command's `--addr`, `--nodekey` and `--bootnodes` flags
 * (those it has). The caller must `close()` it.
 * @throws {CliError} for bad flags; `NodeKeyError`, `TransportError` `BIND_FAILED`, `NodeDatabaseError`
 */
export function startDiscovery(
  ctx: CommandContext,
  options: StartOptions = {},
): Promise<DiscoverySession> {
  return startSession(ctx, options, (listen) => DiscoveryV4.listen(listen));
}

/** What {@link startSession} gives the version's `listen`. */
export interface SessionListenOptions {
  readonly privateKey: Uint8Array;
  readonly address: string;
  readonly port: number;
  readonly bootnodes: readonly Node[];
  readonly logger: CommandContext['logger'];
  readonly db?: NodeDatabase;
}

/**
 * Starts a discovery node of either version from the command's flags through `listen`; the
 * session closes the node database it opened for `--nodedb`.
 */
export async function startSession<D extends { stop(): Promise<void> }>(
  ctx: CommandContext,
  options: StartOptions,
  listen: (options: SessionListenOptions) => Promise<D>,
): Promise<DiscoverySession<D>> {
  const { address, port } = parseHostPort(
    ctx.options.string('addr') ?? '',
    ctx.options.origin('addr'),
  );
  const keyFile = ctx.options.string('nodekey');
  const privateKey = keyFile === undefined ? generatePrivateKey() : await loadNodeKey(keyFile);
  const bootnodes = await bootnodesOf(ctx, options.extraBootnodes ?? []);
  const db =
    options.nodedb === undefined
      ? undefined
      : await NodeDatabase.open({ path: options.nodedb, logger: ctx.logger });
  let disc: D;
  try {
    disc = await listen({
      privateKey,
      address,
      port,
      bootnodes,
      logger: ctx.logger,
      ...(db === undefined ? {} : { db }),
    });
  } catch (err) {
    await db?.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await disc.stop();
    await db?.close();
  };
  return { disc, close: () => (closing ??= close()) };
}

/** The `--bootnodes` flag's nodes and `extra`, with IP addresses (DNS names resolved). */
async function bootnodesOf(ctx: CommandContext, extra: readonly Node[]): Promise<Node[]> {
  const listed = ctx.options.declares('bootnodes') ? ctx.options.list('bootnodes') : [];
  const nodes = [...parseNodeList(listed, 'bootnode'), ...extra];
  const resolved = await Promise.all(nodes.map(resolveHostname));
  for (const n of resolved) {
    if (n.ip === undefined || n.udp === undefined) {
      throw failure(`bootnode ${n.enodeUrl().slice(0, 24)}... has no IP address or UDP port`);
    }
  }
  return resolved;
}

/** The node argument as a reachable node: IP address (DNS names resolved) and UDP port. */
export async function reachableNode(node: Node): Promise<Node> {
  const resolved = await resolveHostname(node);
  if (resolved.ip === undefined || resolved.udp === undefined) {
    throw failure('node has no IP address or UDP port; give its enode:// URL or enr: record');
  }
  return resolved;
}

/**
 * Runs `work` with a signal that also aborts after `ms`; a timeout becomes a `CliError` saying
 * `what` did not happen in time. The command's own abort passes through.
 */
export async function withTimeout<T>(
  ctx: CommandContext,
  ms: number,
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  try {
    return await work(AbortSignal.any([ctx.signal, timeout]));
  } catch (err) {
    if (timeout.aborted && !ctx.signal.aborted) {
      throw failure(`${what} within ${formatDuration(ms)}`, { cause: err });
    }
    throw err;
  }
}

/** The argument and flags of a command that asks one node (`ping`, `requestenr`). */
export function nodeQuerySpec(v: DiscoveryVersion): Pick<CommandSpec, 'args' | 'options'> {
  return {
    args: [{ name: 'node', required: true, description: v.nodeArg }],
    options: { addr: addrOption('0.0.0.0:0'), nodekey: NODEKEY_OPTION },
  };
}

/** The node a {@link nodeQuerySpec} command asks, and a discovery node to ask it with. */
export async function startNodeQuery(
  ctx: CommandContext,
  v: DiscoveryVersion,
): Promise<DiscoverySession<CliDiscovery> & { readonly node: Node }> {
  const node = v.usable(await reachableNode(parseNodeArg(ctx.args[0] ?? '')));
  return { node, ...(await v.start(ctx)) };
}
