/**
 * Typed positional parameters of RPC methods, checked with go-ethereum's rules and messages
 * (geth `rpc/json.go` `parsePositionalArguments`): at most as many values as parameters, every
 * required one present, trailing optional ones absent or null.
 * @module
 */
import { invalidParams } from './errors.ts';

/** One positional parameter: whether it may be left out, and how its JSON value is read. */
export interface ParamSpec<T> {
  readonly optional: boolean;
  /** Reads the value, or returns a reason such as `expected a string`. */
  parse(value: unknown): { readonly value: T } | { readonly error: string };
}

/** The parsed values of a parameter list, in order. */
export type ParamValues<P extends readonly ParamSpec<unknown>[]> = {
  readonly [K in keyof P]: P[K] extends ParamSpec<infer T> ? T : never;
};

/** A required string. */
export const STRING_PARAM: ParamSpec<string> = {
  optional: false,
  parse: (value) =>
    typeof value === 'string' ? { value } : { error: `expected a string, got ${kindOf(value)}` },
};

/** `spec`, but it may be absent or null (then undefined). */
export function optional<T>(spec: ParamSpec<T>): ParamSpec<T | undefined> {
  return {
    optional: true,
    parse: (value) =>
      value === undefined || value === null ? { value: undefined } : spec.parse(value),
  };
}

/**
 * Checks `params` against `specs` and returns the values.
 * @throws {RpcError} `-32602`: `non-array args`, `too many arguments, want at most N`,
 *   `missing value for required argument I`, `invalid argument I: <reason>`
 */
export function parseParams<P extends readonly ParamSpec<unknown>[]>(
  specs: P,
  params: readonly unknown[] | Readonly<Record<string, unknown>>,
): ParamValues<P> {
  if (!Array.isArray(params)) throw invalidParams('non-array args');
  const list = params as readonly unknown[];
  if (list.length > specs.length) {
    throw invalidParams(`too many arguments, want at most ${specs.length}`);
  }
  return specs.map((spec, i) => {
    const value = list[i];
    if (value === undefined && !spec.optional) {
      throw invalidParams(`missing value for required argument ${i}`);
    }
    const parsed = spec.parse(value);
    if ('error' in parsed) throw invalidParams(`invalid argument ${i}: ${parsed.error}`);
    return parsed.value;
  }) as unknown as ParamValues<P>;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
