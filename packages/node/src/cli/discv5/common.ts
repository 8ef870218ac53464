/**
 * What makes the discv5 commands differ from the discv4 ones: the node they start
 * (`DiscoveryV5` on the discv5 rpc) and that every node they talk to needs its record.
 * @module
 */
import { DiscoveryV5 } from '@ethp2p/discovery';
import { DiscV5RpcError } from '@ethp2p/discovery/v5-rpc';
import type { Node } from '@ethp2p/enode';
import type { CommandContext } from '../command.ts';
import type {
  CliDiscovery,
  DiscoverySession,
  DiscoveryVersion,
  StartOptions,
} from '../discv4/common.ts';
import { startSession } from '../discv4/common.ts';
import { failure } from '../errors.ts';

/** A node the discv5 commands can talk to: one with its record. @throws {CliError} */
function withRecord(node: Node): Node {
  if (node.record === undefined) {
    throw failure('discv5 needs the node record: give its enr: record, not an enode:// URL');
  }
  return node;
}

/** `DiscoveryV5` with the PONG's seq under the name the shared commands read. */
function asCliDiscovery(disc: DiscoveryV5): CliDiscovery {
  return {
    localNode: disc.localNode,
    self: () => disc.self(),
    ping: async (node, options) => ({ seq: (await disc.ping(node, options)).enrSeq }),
    requestEnr: (node, options) => disc.requestEnr(node, options),
    resolve: (node, options) => disc.resolve(node, options),
    randomNodes: (options) => disc.randomNodes(options),
  };
}

/**
 * Starts a discovery v5 node from the command's `--addr`, `--nodekey` and `--bootnodes` flags
 * (those it has). The caller must `close()` it.
 * @throws {CliError} for bad flags or bootnodes without a record; `NodeKeyError`,
 *   `TransportError` `BIND_FAILED`, `NodeDatabaseError`
 */
export async function startDiscoveryV5(
  ctx: CommandContext,
  options: StartOptions = {},
): Promise<DiscoverySession<CliDiscovery>> {
  const { disc, close } = await startSession(ctx, options, (listen) =>
    DiscoveryV5.listen({ ...listen, bootnodes: listen.bootnodes.map(withRecord) }),
  );
  return { disc: asCliDiscovery(disc), close };
}

/** The discv5 commands' version. */
export const DISCV5: DiscoveryVersion = {
  group: 'discv5',
  title: 'discovery v5',
  exampleNode: 'enr:-IS4Q...',
  nodeArg: 'enr: record (discv5 needs the record)',
  start: startDiscoveryV5,
  isTimeout: (err) => err instanceof DiscV5RpcError && err.code === 'TIMEOUT',
  usable: withRecord,
};
