/**
 * The CLI's error and exit codes.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Process exit codes of `ethp2p`. */
export const EXIT_CODE = {
  /** The command did what it was asked. */
  OK: 0,
  /** The command was well-formed but failed (bad input data, network, files). */
  FAILED: 1,
  /** The command line was wrong: unknown command or flag, missing or extra argument, bad flag value. */
  USAGE: 2,
} as const;

/** One of {@link EXIT_CODE}'s values. */
export type ExitCode = (typeof EXIT_CODE)[keyof typeof EXIT_CODE];

/** What kind of failure a {@link CliError} is: decides the exit code. */
export type CliErrorCode = 'USAGE' | 'FAILED';

/**
 * A failure to report as one line `ethp2p: <message>`. `USAGE` exits with 2 and points at
 * `--help`; `FAILED` exits with 1. The message says what to fix, in lower case.
 */
export class CliError extends CodedError<CliErrorCode> {
  override readonly name = 'CliError';
}

/** A usage error (exit code 2). */
export function usageError(message: string, options?: { cause?: unknown }): CliError {
  return new CliError('USAGE', message, options);
}

/** A runtime failure (exit code 1). */
export function failure(message: string, options?: { cause?: unknown }): CliError {
  return new CliError('FAILED', message, options);
}
