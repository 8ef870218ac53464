/**
 * Every backend, loaded once per test file, for `describe.each`. A backend that cannot load fails
 * the suite: the tests exist to prove all three agree.
 */

import { thrownError } from '@ethp2p/base/testing';
import { BACKEND_NAMES, type CryptoBackend, loadBackend } from '../../src/backends/index.ts';
import { CryptoError, type CryptoErrorCode } from '../../src/index.ts';

/** All backends, fastest first. */
export const backends: readonly CryptoBackend[] = await Promise.all(BACKEND_NAMES.map(loadBackend));

/** `[name, backend]` rows for `describe.each('%s backend')`. */
export const backendRows: [string, CryptoBackend][] = backends.map((b) => [b.name, b]);

/** The noble backend, the reference. */
export const noble: CryptoBackend = backends.find((b) => b.name === 'noble') as CryptoBackend;

/** Hex to bytes, for vectors. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

/** Bytes to lower-case hex. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** UTF-8 bytes of `s`. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Asserts that `fn` throws a CryptoError with `code`. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): void {
  thrownError(fn, CryptoError, code);
}
