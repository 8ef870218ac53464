/**
 * Packet expiration: a Unix time in seconds, read as a signed 64-bit integer like geth
 * (`v4wire.Expired`), so values at or above 2^63 are in the past.
 * @module
 */
import { EXPIRATION_MS, MAX_UINT64 } from './constants.ts';

const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

/**
 * Whether a packet's expiration is strictly in the past at `nowMs` (Unix milliseconds). A value
 * at or above 2^63 is negative as an int64 and therefore expired (geth; the v4 test suite's
 * `PastExpiration` relies on it). An expiration equal to now is not expired.
 * @throws {TypeError|RangeError} unless `expiration` is a uint64 bigint and `nowMs` finite
 */
export function isExpired(expiration: bigint, nowMs: number): boolean {
  if (typeof expiration !== 'bigint') {
    throw new TypeError(`expiration: expected bigint, got ${typeof expiration}`);
  }
  if (expiration < 0n || expiration > MAX_UINT64) {
    throw new RangeError(`expiration: expected 0 to 2^64-1, got ${expiration}`);
  }
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
    throw new RangeError(`nowMs: expected a finite number, got ${nowMs}`);
  }
  const seconds = expiration >= TWO_63 ? expiration - TWO_64 : expiration;
  return Number(seconds) * 1000 < nowMs;
}

/**
 * The expiration to put in a packet sent at `nowMs`: whole Unix seconds `offsetMs` later
 * (default 20 s, geth `expiration`).
 * @throws {RangeError} unless the result is a non-negative finite time
 */
export function expirationFromNow(nowMs: number, offsetMs: number = EXPIRATION_MS): bigint {
  const at = nowMs + offsetMs;
  if (!Number.isFinite(at) || at < 0) {
    throw new RangeError(`nowMs + offsetMs: expected a finite time ≥ 0, got ${at}`);
  }
  return BigInt(Math.floor(at / 1000));
}
