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
 * How long after the first stop signal a repeat of it counts as the same signal delivered twice,
 * not as a second Ctrl-C. A terminal sends SIGINT to its whole process group, and a parent such as
 * `pnpm` or `npm` also forwards the one it got to its child, so one Ctrl-C can arrive twice.
 */
export const DUPLICATE_SIGNAL_MS = 1000;

/** Options of {@link processIo}. */
export interface ProcessIoOptions {
  /** The clock that tells a duplicated signal from a second one (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * The process's streams and environment, with a signal that aborts on the first SIGINT or
 * SIGTERM, so the command stops cleanly and exits 0. The same signal again within
 * {@link DUPLICATE_SIGNAL_MS} is ignored (one Ctrl-C delivered twice); after that the handlers are
 * gone, so a second Ctrl-C kills the process (exit 130, or 143 for SIGTERM) even if the clean
 * stop hangs.
 */
export function processIo(options: ProcessIoOptions = {}): ProcessIo {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  let first: { name: NodeJS.Signals; at: number } | undefined;
  const release = (): void => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  const onSignal = (name: NodeJS.Signals): void => {
    if (first === undefined) {
      first = { name, at: now() };
      controller.abort(new Error(`received ${name}`));
      // Node's default handling comes back only when no listener is left: keep this one
      // briefly for the duplicate, and drop the other signal's now.
      for (const s of STOP_SIGNALS) if (s !== name) process.off(s, onSignal);
      return;
    }
    release();
    if (name === first.name && now() - first.at < DUPLICATE_SIGNAL_MS) return;
    process.kill(process.pid, name);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const streams = outputsThatOutliveReaders(process.stdout, process.stderr);
  return {
    io: {
      stdout: streams.stdout,
      stderr: streams.stderr,
      env: process.env,
      signal: controller.signal,
    },
    dispose: release,
  };
}

/** A stream the CLI writes to that reports a failed write as an `'error'` event (a Node stream). */
export interface ErrorReportingOutput extends CliOutput {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Streams seen to fail: nothing more is written to them. */
const failed = new WeakSet<object>();
/** Streams with our `'error'` listener, which stays for the stream's life (one per stream). */
const watched = new WeakSet<object>();

/**
 * `stdout` and `stderr` as outputs that outlive their readers. A pipe whose reader went away
 * (`ethp2p node | head -2`) fails the next write with EPIPE, reported as an `'error'` event that,
 * unhandled, would crash the process, skip the clean shutdown and leave the datadir's LOCK
 * behind. Instead the failed stream is dropped: nothing more is written to it, and the command
 * goes on, as a daemon whose terminal went away does. A node keeps serving its peers and still
 * stops cleanly on SIGINT or SIGTERM. When stdout fails, one line on stderr says so.
 *
 * The listeners are installed once per stream and never removed: a write that fails after the
 * command returned is still reported, and still must not crash the process.
 */
export function outputsThatOutliveReaders(
  stdout: ErrorReportingOutput,
  stderr: ErrorReportingOutput,
): { stdout: CliOutput; stderr: CliOutput } {
  watch(stderr, () => undefined);
  watch(stdout, (err) => {
    const reason = (err as NodeJS.ErrnoException).code ?? err.message;
    if (!failed.has(stderr)) {
      stderr.write(`ethp2p: stdout failed (${reason}); its output is dropped from now on\n`);
    }
  });
  return { stdout: dropAfterFailure(stdout), stderr: dropAfterFailure(stderr) };
}

function watch(stream: ErrorReportingOutput, onFirstError: (err: Error) => void): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (err) => {
    if (failed.has(stream)) return;
    failed.add(stream);
    onFirstError(err);
  });
}

function dropAfterFailure(stream: CliOutput): CliOutput {
  return { write: (text) => (failed.has(stream) ? false : stream.write(text)) };
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
