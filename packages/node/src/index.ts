/**
 * @ethp2p/node: the sample full devp2p node (discovery v4, the p2p server and eth/68 + eth/69)
 * and the `ethp2p` command line.
 * @module
 */

export type { OptionSource, OptionSpec, OptionSpecs, ResolvedOption } from './cli/args.ts';
export { envVarName, OptionValues, parseCommandArgs, resolveOptions } from './cli/args.ts';
export type { ArgSpec, CommandContext, CommandSpec, GroupSpec } from './cli/command.ts';
export type { NodeSet, NodeSetEntry, NodeSetErrorCode } from './cli/discv4/nodeset.ts';
export { formatNodeSet, NodeSetError, parseNodeSet } from './cli/discv4/nodeset.ts';
export { formatDuration, parseDuration } from './cli/durations.ts';
export type { CliErrorCode, ExitCode } from './cli/errors.ts';
export { CliError, EXIT_CODE } from './cli/errors.ts';
export type { CliIo, CliOutput } from './cli/io.ts';
export { defaultRegistry, main, runCli } from './cli/main.ts';
export { CommandRegistry } from './cli/registry.ts';
export type { ChainFiles, NetworkName } from './node/chain.ts';
export {
  genesisOnlyChain,
  isNetworkName,
  loadChainFiles,
  NETWORK_NAMES,
  networkChain,
} from './node/chain.ts';
export type { FullNodeOptions } from './node/config.ts';
export {
  CLIENT_VERSION,
  DEFAULT_LISTEN_IP,
  DEFAULT_PORT,
  defaultClientName,
} from './node/config.ts';
export { defaultDatadir, NODEKEY_FILE, NODES_DIR } from './node/datadir.ts';
export type { DiscoverySource } from './node/dial-source.ts';
export { EthDialSource, MAX_PARALLEL_ENR_REQUESTS } from './node/dial-source.ts';
export type { NodeErrorCode } from './node/errors.ts';
export { NODE_ERROR_CODE, NodeError } from './node/errors.ts';
export type { FullNodeEvents } from './node/full-node.ts';
export { FullNode } from './node/full-node.ts';
export { DatadirLock, LOCK_FILE } from './node/lock.ts';
export type { LineLoggerOptions, LogFormat } from './node/logger.ts';
export { createLineLogger, DEFAULT_VERBOSITY, LOG_FORMAT, VERBOSITY } from './node/logger.ts';
export type { NodeStatus } from './node/status.ts';
export { formatStatusLine, STATUS_INTERVAL_MS, StatusTicker } from './node/status.ts';
