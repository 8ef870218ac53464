/**
 * The rule every target applies to a thrown error: it must be one of the boundary's typed
 * errors, and no built-in error (TypeError, RangeError, ...) may hide in its `cause` chain (a
 * boundary that wraps "anything" would otherwise mask a crash).
 * @module
 */

/** A class an error may be an instance of. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor signature
export type ErrorClass = abstract new (...args: any[]) => Error;

const BUILT_IN: readonly ErrorClass[] = [
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
];

/** The first built-in error (`TypeError`, `RangeError`, ...) in `err`'s cause chain, if any. */
export function builtInCause(err: unknown): Error | undefined {
  let cause: unknown = err instanceof Error ? err.cause : undefined;
  for (let depth = 0; depth < 16 && cause !== undefined; depth++) {
    if (BUILT_IN.some((c) => cause instanceof c)) return cause as Error;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

/**
 * The check of a boundary that promises errors of `classes`: `err` is an instance of one of
 * them and has no built-in error in its cause chain.
 */
export function typedErrors(...classes: readonly ErrorClass[]): (err: unknown) => boolean {
  return (err) => classes.some((c) => err instanceof c) && builtInCause(err) === undefined;
}

/** One line naming an error: its name, code (if any) and message, and a built-in cause. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown: ${String(err)}`;
  const code = (err as { code?: unknown }).code;
  const head = `${err.name}${typeof code === 'string' ? ` ${code}` : ''}: ${err.message}`;
  const cause = builtInCause(err);
  return cause === undefined ? head : `${head} (caused by ${cause.name}: ${cause.message})`;
}
