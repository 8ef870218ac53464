/**
 * The node's log output: a {@link Logger} that writes one line per entry, as text
 * (`INFO [05-14|12:34:56.789] server started listen=0.0.0.0:30303`) or as JSON
 * (`{"t":"...","lvl":"info","msg":"server started","listen":"0.0.0.0:30303"}`), filtered by a
 * geth-style verbosity.
 * @module
 */

import type { LogFields, Logger } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';

/** The log line formats. */
export const LOG_FORMAT = { TEXT: 'text', JSON: 'json' } as const;

/** One of {@link LOG_FORMAT}'s values. */
export type LogFormat = (typeof LOG_FORMAT)[keyof typeof LOG_FORMAT];

/** The verbosity levels (geth): 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 everything. */
export const VERBOSITY = { SILENT: 0, ERROR: 1, WARN: 2, INFO: 3, DEBUG: 4, TRACE: 5 } as const;

/** Default verbosity: info. */
export const DEFAULT_VERBOSITY: number = VERBOSITY.INFO;

type Level = 'error' | 'warn' | 'info' | 'debug';

const LEVEL_VERBOSITY: Readonly<Record<Level, number>> = {
  error: VERBOSITY.ERROR,
  warn: VERBOSITY.WARN,
  info: VERBOSITY.INFO,
  debug: VERBOSITY.DEBUG,
};

/** Options of {@link createLineLogger}. */
export interface LineLoggerOptions {
  /** Receives each line without its newline. */
  readonly write: (line: string) => void;
  /** Default `text`. */
  readonly format?: LogFormat;
  /** 0–5, see {@link VERBOSITY} (default 3). */
  readonly verbosity?: number;
  /** The time source for timestamps, in Unix ms (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * A logger writing one line per entry at or below the verbosity.
 * @throws {RangeError} for a verbosity outside 0–5 or an unknown format
 */
export function createLineLogger(options: LineLoggerOptions): Logger {
  const verbosity = options.verbosity ?? DEFAULT_VERBOSITY;
  if (!Number.isInteger(verbosity) || verbosity < 0 || verbosity > VERBOSITY.TRACE) {
    throw new RangeError(`verbosity: expected an integer in 0-5, got ${String(verbosity)}`);
  }
  const format = options.format ?? LOG_FORMAT.TEXT;
  if (format !== LOG_FORMAT.TEXT && format !== LOG_FORMAT.JSON) {
    throw new RangeError(`format: expected text or json, got ${String(format)}`);
  }
  const now = options.now ?? Date.now;
  const render = format === LOG_FORMAT.JSON ? jsonLine : textLine;
  const entry =
    (level: Level) =>
    (msg: string, fields?: LogFields): void => {
      if (LEVEL_VERBOSITY[level] > verbosity) return;
      options.write(render(now(), level, msg, fields));
    };
  return { error: entry('error'), warn: entry('warn'), info: entry('info'), debug: entry('debug') };
}

/** `INFO [05-14|12:34:56.789] msg key=value ...` in local time, like geth's terminal format. */
export function textLine(timeMs: number, level: string, msg: string, fields?: LogFields): string {
  const head = `${level.toUpperCase().padEnd(5)} [${textTime(timeMs)}] ${msg}`;
  if (fields === undefined) return head;
  const pairs = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${textValue(v)}`);
  return pairs.length === 0 ? head : `${head.padEnd(48)} ${pairs.join(' ')}`;
}

/** `{"t":"<ISO time>","lvl":"info","msg":"...",...fields}`. */
export function jsonLine(timeMs: number, level: string, msg: string, fields?: LogFields): string {
  const line: Record<string, unknown> = { t: new Date(timeMs).toISOString(), lvl: level, msg };
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (!Object.hasOwn(line, key)) line[key] = value;
  }
  return JSON.stringify(line, jsonValue);
}

function textTime(timeMs: number): string {
  const d = new Date(timeMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = String(d.getMilliseconds()).padStart(3, '0');
  return `${two(d.getMonth() + 1)}-${two(d.getDate())}|${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${ms}`;
}

function textValue(value: unknown): string {
  const plain = jsonValue('', value);
  if (typeof plain === 'string') return /^[^\s"=]+$/.test(plain) ? plain : JSON.stringify(plain);
  if (typeof plain === 'number' || typeof plain === 'boolean' || plain === null) {
    return String(plain);
  }
  return JSON.stringify(plain, jsonValue) ?? String(plain);
}

/** JSON for values JSON cannot carry: bigints as decimal strings, bytes as hex, errors as text. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (value instanceof Error) return value.message;
  return value;
}
