/**
 * What a command is: a path of names (`['discv4', 'ping']`), its help, its flags and `run`.
 * Commands are plain objects collected in a list (`commands.ts`); groups are the path prefixes.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import type { OptionSpecs, OptionValues } from './args.ts';
import type { CliIo } from './io.ts';

/** A positional argument. */
export interface ArgSpec {
  /** Its name in the usage line: `<file>` when required, `[file]` when optional. */
  readonly name: string;
  readonly required: boolean;
  /** The last argument only: it takes every remaining one (`[params...]`). */
  readonly rest?: boolean;
  /** One line for the help text. */
  readonly description: string;
}

/** What a running command gets. */
export interface CommandContext {
  /** `ethp2p` plus the command path, for messages: `ethp2p discv4 ping`. */
  readonly commandLine: string;
  /** The positional arguments, already checked against the command's {@link ArgSpec}s. */
  readonly args: readonly string[];
  /** The resolved flags (command line, then environment, then defaults). */
  readonly options: OptionValues;
  readonly io: CliIo;
  /** Aborts when the command should stop (SIGINT/SIGTERM, or the caller's `io.signal`). */
  readonly signal: AbortSignal;
  /** Warnings and errors go to stderr. */
  readonly logger: Logger;
  /** Writes `line` and a newline to stdout. */
  out(line: string): void;
  /** Writes `line` and a newline to stderr. */
  err(line: string): void;
}

/** A leaf command. */
export interface CommandSpec {
  /** The names that select it: `['key', 'to-enode']`. */
  readonly path: readonly string[];
  /** One line: what it does. */
  readonly summary: string;
  /** More text for `--help`, after the summary; optional. */
  readonly description?: string;
  readonly args: readonly ArgSpec[];
  readonly options: OptionSpecs;
  /**
   * Also accept geth's single-dash spelling of the long flags (`-min-age 1h` for `--min-age 1h`),
   * for commands whose geth counterpart takes its arguments that way.
   */
  readonly singleDashFlags?: boolean;
  /** Whole command lines, starting with `ethp2p`. */
  readonly examples: readonly string[];
  /**
   * Does the work. Resolving means success (exit code 0); throwing a `CliError` gives its exit
   * code, anything else exits with 1. Either way the error is printed as one line.
   */
  run(ctx: CommandContext): Promise<void>;
}

/** A group of commands (a path prefix), for its `--help`. */
export interface GroupSpec {
  readonly path: readonly string[];
  readonly summary: string;
  readonly examples: readonly string[];
}
