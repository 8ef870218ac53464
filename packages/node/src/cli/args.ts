/**
 * Flags and arguments: parsing with `node:util` `parseArgs`, the environment fallback and typed
 * access with usage errors that name where a bad value came from.
 *
 * Convention: every flag `--foo.bar-baz` can also be given as the environment variable
 * `ETHP2P_FOO_BAR_BAZ` (upper case; `.` and `-` become `_`). A flag on the command line wins
 * over the environment, and the environment over the flag's default.
 * @module
 */
import { parseArgs } from 'node:util';
import { checkPort } from '@ethp2p/base';
import { parseDuration } from './durations.ts';
import { usageError } from './errors.ts';

/** One flag of a command. */
export interface OptionSpec {
  /** `string` flags take a value (`--ip 10.0.0.1` or `--ip=10.0.0.1`); `boolean` flags do not. */
  readonly type: 'string' | 'boolean';
  /** One line for the help text. */
  readonly description: string;
  /** The value's placeholder in the help text, e.g. `ip:port`; default `value`. */
  readonly valueName?: string;
  /** Used when neither the flag nor its environment variable is set (shown in the help). */
  readonly default?: string;
  /** A one-letter alias (`-t`). */
  readonly short?: string;
  /**
   * `false` for a flag with no `ETHP2P_*` variable: a per-invocation choice (a filter, a limit)
   * that a variable left in the environment must not make silently.
   */
  readonly env?: false;
}

/** A command's flags by long name (without `--`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Where a flag's value came from. */
export type OptionSource = 'flag' | 'env' | 'config' | 'default';

/** A flag's resolved value and its origin. */
export interface ResolvedOption {
  readonly value: string | boolean;
  readonly source: OptionSource;
  /** For a `config` value, where in the file it stands (`node.toml [Node.P2P] MaxPeers`). */
  readonly origin?: string;
}

/** Prefix of the environment variables that stand in for flags. */
export const ENV_PREFIX = 'ETHP2P_';

/**
 * The environment variable that stands in for a flag: `foo.bar-baz` → `ETHP2P_FOO_BAR_BAZ`.
 * @example `envVarName('nat.extip') // 'ETHP2P_NAT_EXTIP'`
 */
export function envVarName(flag: string): string {
  return ENV_PREFIX + flag.replace(/^-+/, '').replace(/[.-]/g, '_').toUpperCase();
}

/**
 * Resolves each flag of `specs`: the command-line value if given, else the environment variable
 * ({@link envVarName}), else the default. Boolean variables accept `1`/`true`/`yes` and
 * `0`/`false`/`no` (any case); an empty variable counts as unset.
 * @throws {CliError} `USAGE` for a boolean variable with another value
 */
export function resolveOptions(
  specs: OptionSpecs,
  flags: Readonly<Record<string, string | boolean | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): Map<string, ResolvedOption> {
  const out = new Map<string, ResolvedOption>();
  for (const [name, spec] of Object.entries(specs)) {
    const flag = flags[name];
    if (flag !== undefined) {
      out.set(name, { value: flag, source: 'flag' });
      continue;
    }
    const variable = envVarName(name);
    const fromEnv = spec.env === false ? undefined : env[variable];
    if (fromEnv !== undefined && fromEnv !== '') {
      const value = spec.type === 'boolean' ? envBoolean(variable, fromEnv) : fromEnv;
      out.set(name, { value, source: 'env' });
    } else if (spec.default !== undefined) {
      out.set(name, { value: spec.default, source: 'default' });
    }
  }
  return out;
}

function envBoolean(variable: string, text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === '1' || lower === 'true' || lower === 'yes') return true;
  if (lower === '0' || lower === 'false' || lower === 'no') return false;
  throw usageError(`${variable}: expected true or false, got '${text}'`);
}

/** A command line split into positionals and flag values. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: OptionValues;
}

/**
 * Parses a command's arguments (everything after the command path) against its flags, then
 * resolves them with {@link resolveOptions}.
 * A string flag takes the next argument as its value unless that looks like a flag; `-` and
 * negative numbers are values (`--maxpeers -1` is then refused by the flag's own check).
 * @throws {CliError} `USAGE` for an unknown flag, a missing value or a value on a boolean flag
 */
export function parseCommandArgs(
  argv: readonly string[],
  specs: OptionSpecs,
  env: Readonly<Record<string, string | undefined>>,
): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    config[name] =
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = specs[token.name];
    if (spec === undefined) throw usageError(`unknown flag ${token.rawName}`);
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw usageError(`flag ${token.rawName} takes no value`);
    }
    if (spec.type === 'string') {
      const missing =
        token.value === undefined ||
        (!token.inlineValue && token.value.startsWith('-') && !isValueWithDash(token.value));
      if (missing) throw usageError(`flag ${token.rawName} needs a value`);
    }
  }
  const flags = values as Record<string, string | boolean | undefined>;
  return { positionals, options: new OptionValues(specs, resolveOptions(specs, flags, env)) };
}

/** `-` (stdin) or a negative number (`-1`): a flag's value, though it starts with a dash. */
function isValueWithDash(text: string): boolean {
  return text === '-' || /^-[0-9]/.test(text);
}

/**
 * Typed access to resolved flags. A bad value throws a usage error naming the flag, or the
 * environment variable it came from.
 */
export class OptionValues {
  readonly #specs: OptionSpecs;
  readonly #values: ReadonlyMap<string, ResolvedOption>;

  constructor(specs: OptionSpecs, values: ReadonlyMap<string, ResolvedOption>) {
    this.#specs = specs;
    this.#values = values;
  }

  /** Whether the command has the flag `name`. */
  declares(name: string): boolean {
    return Object.hasOwn(this.#specs, name);
  }

  /** Where `name`'s value came from, or `undefined` if it has none. */
  source(name: string): OptionSource | undefined {
    return this.#values.get(name)?.source;
  }

  /** Whether the flag, its environment variable or a config file gave it (not a default). */
  isSet(name: string): boolean {
    const source = this.source(name);
    return source !== undefined && source !== 'default';
  }

  /**
   * These values with `layer` under the command line and the environment: a layer value is used
   * where the flag was neither given nor set in the environment (a config file's place).
   */
  withLayer(layer: ReadonlyMap<string, ResolvedOption>): OptionValues {
    const merged = new Map(this.#values);
    for (const [name, value] of layer) {
      if (!this.declares(name)) continue;
      const current = merged.get(name)?.source;
      if (current === 'flag' || current === 'env') continue;
      merged.set(name, value);
    }
    return new OptionValues(this.#specs, merged);
  }

  /** A string flag's value. */
  string(name: string): string | undefined {
    const value = this.#get(name, 'string')?.value;
    return typeof value === 'string' ? value : undefined;
  }

  /** A boolean flag's value (false when unset). */
  boolean(name: string): boolean {
    return this.#get(name, 'boolean')?.value === true;
  }

  /** An integer flag in `[min, max]`. */
  integer(name: string, min: number, max: number): number | undefined {
    return this.#convert(name, `an integer in ${min}-${max}`, (text) => {
      if (!/^[0-9]+$/.test(text)) return undefined;
      const n = Number(text);
      return n >= min && n <= max ? n : undefined;
    });
  }

  /** A port number 0–65535. */
  port(name: string): number | undefined {
    return this.#convert(name, 'a port number in 0-65535', (text) => {
      if (!/^[0-9]{1,5}$/.test(text)) return undefined;
      try {
        return checkPort(name, Number(text));
      } catch {
        return undefined;
      }
    });
  }

  /** A duration in milliseconds (`30s`, `2m`, `500ms`; see `parseDuration`). */
  duration(name: string): number | undefined {
    return this.#convert(name, 'a duration such as 500ms, 30s or 2m', (text) => {
      try {
        return parseDuration(text);
      } catch {
        return undefined;
      }
    });
  }

  /** A comma-separated list, trimmed, without empty items; `[]` when unset. */
  list(name: string): string[] {
    const text = this.string(name);
    if (text === undefined) return [];
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  /** `--name`, `ETHP2P_NAME` or the config file entry, whichever the value came from. */
  origin(name: string): string {
    const resolved = this.#values.get(name);
    if (resolved?.source === 'env') return envVarName(name);
    if (resolved?.source === 'config' && resolved.origin !== undefined) return resolved.origin;
    return `--${name}`;
  }

  #convert<T>(
    name: string,
    expected: string,
    parse: (text: string) => T | undefined,
  ): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = parse(text);
    if (value === undefined)
      throw usageError(`${this.origin(name)}: expected ${expected}, got '${text}'`);
    return value;
  }

  #get(name: string, type: OptionSpec['type']): ResolvedOption | undefined {
    const spec = this.#specs[name];
    if (spec?.type !== type) throw new RangeError(`name: expected a ${type} flag, got '${name}'`);
    return this.#values.get(name);
  }
}
