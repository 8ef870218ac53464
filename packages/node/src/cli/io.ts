/**
 * The CLI's window on the outside world: output streams, the environment and the signal that
 * ends long-running commands. `main` takes it as a parameter so commands run in-process in tests.
 * @module
 */
import type { LogFields, Logger } from '@ethp2p/base';

/** Where text goes: `process.stdout` and `process.stderr` fit, and so does a test's recorder. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * What a command may use besides its arguments. `signal` aborts long-running commands
 * (`discv4 listen`, `discv4 crawl`) and pending network calls; without it nothing aborts them.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Environment variables: flags fall back to `ETHP2P_*` variables (see `envVarName`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}

/** A {@link CliIo} over `process`, and how to undo what it hooked. */
export interface ProcessIo {
  readonly io: CliIo;
  /** Removes the signal handlers if they have not fired. */
  dispose(): void;
}

/** Signals that end a long-running command cleanly; a second one gets Node's default handling. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The process's streams and environment, with a signal that aborts on the first SIGINT or
 * SIGTERM. Each handler is registered with `once`, so a second Ctrl-C kills the process even if
 * the clean stop hangs.
 */
export function processIo(): ProcessIo {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    controller.abort(new Error(`received ${name}`));
  };
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  return {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      signal: controller.signal,
    },
    dispose: () => {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
    },
  };
}

/** A logger that writes `warn` and `error` lines (and `info` when `verbose`) to `io.stderr`. */
export function ioLogger(io: CliIo, verbose = false): Logger {
  const line = (level: string, msg: string, fields?: LogFields): void => {
    const ctx = fields === undefined ? '' : ` ${JSON.stringify(fields, jsonSafe)}`;
    io.stderr.write(`${level} ${msg}${ctx}\n`);
  };
  return {
    debug() {},
    info: (msg, fields) => {
      if (verbose) line('INFO', msg, fields);
    },
    warn: (msg, fields) => line('WARN', msg, fields),
    error: (msg, fields) => line('ERROR', msg, fields),
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
