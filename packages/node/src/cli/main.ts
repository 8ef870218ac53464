/**
 * The `ethp2p` command line: `main(argv, io)` picks the command, parses its flags (with the
 * `ETHP2P_*` environment fallback), runs it and maps the outcome to an exit code.
 * @module
 */
import { parseCommandArgs } from './args.ts';
import type { CommandContext, CommandSpec } from './command.ts';
import { COMMANDS, GROUPS } from './commands.ts';
import { CliError, EXIT_CODE, type ExitCode, usageError } from './errors.ts';
import { commandHelp, groupHelp, helpCommand, PROGRAM } from './help.ts';
import { type CliIo, ioLogger, processIo } from './io.ts';
import { CommandRegistry } from './registry.ts';

/**
 * Runs the `ethp2p` command line and resolves to the process exit code: 0 on success, 1 when the
 * command failed, 2 for a usage error (unknown command or flag, wrong arguments, bad flag value).
 * Errors are printed to stderr as one line, `ethp2p: <what to fix>`. Without `io` it uses the
 * process's streams and environment and stops long-running commands on SIGINT or SIGTERM.
 *
 * Every flag `--foo.bar-baz` can also be given as the environment variable `ETHP2P_FOO_BAR_BAZ`;
 * a flag on the command line wins.
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  if (io !== undefined) return runCli(defaultRegistry(), argv, io);
  const proc = processIo();
  try {
    return await runCli(defaultRegistry(), argv, proc.io);
  } finally {
    proc.dispose();
  }
}

let registry: CommandRegistry | undefined;

/** The registry of every built-in command (`commands.ts`). */
export function defaultRegistry(): CommandRegistry {
  registry ??= new CommandRegistry([...COMMANDS, helpCommand(defaultRegistry)], GROUPS);
  return registry;
}

/** {@link main} over any registry: the framework without the built-in command list. */
export async function runCli(
  commands: CommandRegistry,
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  const resolved = commands.resolve(argv);
  if (resolved.kind === 'group') {
    const [first] = resolved.rest;
    const here = [PROGRAM, ...resolved.path].join(' ');
    if (first === '--help' || first === '-h') {
      io.stdout.write(groupHelp(commands, resolved.path));
      return EXIT_CODE.OK;
    }
    if (first === '--version' && resolved.path.length === 0 && hasVersion(commands)) {
      return runCli(commands, ['version', ...resolved.rest.slice(1)], io);
    }
    if (first === undefined) {
      io.stderr.write(groupHelp(commands, resolved.path));
      return EXIT_CODE.USAGE;
    }
    const what = first.startsWith('-') ? `unknown flag ${first}` : `unknown command '${first}'`;
    io.stderr.write(`${PROGRAM}: ${what} (see '${here} --help')\n`);
    return EXIT_CODE.USAGE;
  }
  const { spec, rest } = resolved;
  if (wantsHelp(rest)) {
    io.stdout.write(commandHelp(spec));
    return EXIT_CODE.OK;
  }
  const signal = io.signal ?? new AbortController().signal;
  try {
    await spec.run(context(spec, rest, io, signal));
    return EXIT_CODE.OK;
  } catch (err) {
    return report(err, spec, io, signal);
  }
}

function context(
  spec: CommandSpec,
  rest: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): CommandContext {
  const argv = spec.singleDashFlags === true ? rest.map((a) => doubleDash(a, spec)) : rest;
  const { positionals, options } = parseCommandArgs(argv, spec.options, io.env);
  const required = spec.args.filter((a) => a.required).length;
  if (positionals.length < required) {
    const missing = spec.args[positionals.length];
    throw usageError(`missing argument <${missing?.name ?? 'argument'}>`);
  }
  if (positionals.length > spec.args.length && spec.args.at(-1)?.rest !== true) {
    throw usageError(`unexpected argument '${positionals[spec.args.length]}'`);
  }
  return {
    commandLine: [PROGRAM, ...spec.path].join(' '),
    args: positionals,
    options,
    io,
    signal,
    logger: ioLogger(io),
    out: (line) => io.stdout.write(`${line}\n`),
    err: (line) => io.stderr.write(`${line}\n`),
  };
}

/** Whether the registry has a `version` command, which `--version` runs. */
function hasVersion(commands: CommandRegistry): boolean {
  return commands.resolve(['version']).kind === 'command';
}

/** `--help` or `-h` anywhere before a `--` terminator. */
/**
 * `-name` or `-name=value` as `--name...`.
 * @throws {CliError} `USAGE` when `name` is not a long flag of `spec`
 */
function doubleDash(arg: string, spec: CommandSpec): string {
  const name = /^-([a-z][a-z0-9.-]+)(=|$)/.exec(arg)?.[1];
  if (name === undefined) return arg;
  if (!Object.hasOwn(spec.options, name)) throw usageError(`unknown flag -${name}`);
  return `-${arg}`;
}

function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function report(err: unknown, spec: CommandSpec, io: CliIo, signal: AbortSignal): ExitCode {
  if (err instanceof CliError && err.code === 'USAGE') {
    const help = [PROGRAM, ...spec.path, '--help'].join(' ');
    io.stderr.write(`${PROGRAM}: ${oneLine(err.message)} (see '${help}')\n`);
    return EXIT_CODE.USAGE;
  }
  const interrupted = signal.aborted && err === signal.reason;
  const message = interrupted ? 'interrupted' : oneLine(errorMessage(err));
  io.stderr.write(`${PROGRAM}: ${message}\n`);
  return EXIT_CODE.FAILED;
}

/**
 * The error's message, and for errors from the libraries their cause's when that adds something
 * (`node key k: cannot write: EACCES ...`). A `CliError`'s message is complete on its own.
 */
function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const message = err.message.length > 0 ? err.message : err.name;
  if (err instanceof CliError) return message;
  const { cause } = err;
  if (cause instanceof Error && cause.message.length > 0 && !message.includes(cause.message)) {
    return `${message}: ${cause.message}`;
  }
  return message;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}
