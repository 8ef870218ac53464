/**
 * The logging seam. Components take a {@link Logger} in their options; the default writes
 * warnings and errors to stderr and drops the rest.
 * @module
 */

/** Structured context attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A leveled logger. Messages are lower case with no trailing period. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function write(level: string, msg: string, fields?: LogFields): void {
  const ctx = fields === undefined ? '' : ` ${JSON.stringify(fields, bigintSafe)}`;
  process.stderr.write(`${level} ${msg}${ctx}\n`);
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Writes `warn` and `error` lines to stderr; ignores `debug` and `info`. */
export const defaultLogger: Logger = {
  debug() {},
  info() {},
  warn: (msg, fields) => write('WARN', msg, fields),
  error: (msg, fields) => write('ERROR', msg, fields),
};

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that keeps every line in memory, for tests that assert on warnings. */
export class MemoryLogger implements Logger {
  readonly lines: {
    level: 'debug' | 'info' | 'warn' | 'error';
    msg: string;
    fields?: LogFields;
  }[] = [];

  debug(msg: string, fields?: LogFields): void {
    this.#push('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.#push('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.#push('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#push('error', msg, fields);
  }

  #push(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields): void {
    this.lines.push(fields === undefined ? { level, msg } : { level, msg, fields });
  }
}
