/**
 * @ethp2p/node/cli: the building blocks of the `ethp2p` command line, for tools that add their
 * own commands: the command registry and `runCli`, option parsing with the `ETHP2P_*`
 * environment fallback, the CLI's errors and exit codes, geth `nodes.json` node sets, durations
 * and the line logger of `ethp2p node`.
 * @module
 */

export type { LineLoggerOptions, LogFormat } from '../node/logger.ts';
export { createLineLogger, DEFAULT_VERBOSITY, LOG_FORMAT, VERBOSITY } from '../node/logger.ts';
export type { OptionSource, OptionSpec, OptionSpecs, ResolvedOption } from './args.ts';
export { envVarName, OptionValues, parseCommandArgs, resolveOptions } from './args.ts';
export type { ArgSpec, CommandContext, CommandSpec, GroupSpec } from './command.ts';
export type { NodeSet, NodeSetEntry, NodeSetErrorCode } from './discv4/nodeset.ts';
export { formatNodeSet, NodeSetError, parseNodeSet } from './discv4/nodeset.ts';
export { formatDuration, parseDuration } from './durations.ts';
export type { CliErrorCode, ExitCode } from './errors.ts';
export { CliError, EXIT_CODE } from './errors.ts';
export type { CliIo, CliOutput } from './io.ts';
export { defaultRegistry, main, runCli } from './main.ts';
export { CommandRegistry } from './registry.ts';
