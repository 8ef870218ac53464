/**
 * Argument checks shared by every package. Each returns the value it accepts and throws a
 * `RangeError` worded `"<field>: expected X, got Y"` (STYLE §4) otherwise.
 * @module
 */

/**
 * `ms` if it is a finite number of milliseconds above 0 (timeouts and intervals).
 * @throws {RangeError} otherwise
 */
export function checkPositiveMs(field: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${field}: expected a positive number of milliseconds, got ${String(ms)}`);
  }
  return ms;
}

/**
 * `n` if it is a safe integer of at least 1 (capacities, limits, counts).
 * @throws {RangeError} otherwise
 */
export function checkPositiveInt(field: string, n: number): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`${field}: expected a positive integer, got ${String(n)}`);
  }
  return n;
}

/**
 * `port` if it is an integer port number in 0–65535 (0 asks the OS for a free port).
 * @throws {RangeError} otherwise
 */
export function checkPort(field: string, port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw new RangeError(`${field}: expected a port number in 0-65535, got ${String(port)}`);
  }
  return port;
}
