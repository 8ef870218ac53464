/**
 * Asserting on thrown errors by type and code, the way every ethp2p test does it.
 * @module
 */

/** A class whose instances are `E` (abstract classes included). */
export type ErrorClass<E> = abstract new (...args: never[]) => E;

function check<E extends Error>(err: unknown, type: ErrorClass<E>, code: string | undefined): E {
  if (!(err instanceof type)) {
    const got = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`expected a ${type.name}${code === undefined ? '' : ` ${code}`}, got ${got}`, {
      cause: err,
    });
  }
  const actual = (err as { code?: unknown }).code;
  if (code !== undefined && actual !== code) {
    throw new Error(`expected a ${type.name} ${code}, got ${String(actual)}: ${err.message}`, {
      cause: err,
    });
  }
  return err;
}

/**
 * Runs `fn` and returns what it throws, checked to be a `type` (with `code`, when given).
 * @throws {Error} describing the difference when `fn` returns, or throws something else
 */
export function thrownError<E extends Error>(
  fn: () => unknown,
  type: ErrorClass<E>,
  code?: string,
): E {
  try {
    fn();
  } catch (err) {
    return check(err, type, code);
  }
  throw new Error(`expected a ${type.name}${code === undefined ? '' : ` ${code}`}, got no error`);
}

/**
 * Awaits `promise` and returns its rejection, checked to be a `type` (with `code`, when given).
 * @throws {Error} describing the difference when it resolves, or rejects with something else
 */
export async function rejectedError<E extends Error>(
  promise: Promise<unknown>,
  type: ErrorClass<E>,
  code?: string,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return check(err, type, code);
  }
  throw new Error(`expected a ${type.name}${code === undefined ? '' : ` ${code}`}, got no error`);
}
