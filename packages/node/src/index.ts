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
