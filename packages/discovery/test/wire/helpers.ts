/** Helpers for the wire tests: typed-error assertions and keyB. */

import { thrownError } from '@ethp2p/base/testing';
import { concatBytes, hexToBytes, keccak256, signRecoverable } from '@ethp2p/crypto';
import { WireError } from '../../src/wire/index.ts';
import { KEY_B } from './vectors.ts';

/** keyB's private key, the signer of the geth vectors. */
export const PRIV_B: Uint8Array = hexToBytes(KEY_B.priv);

/** Asserts that `fn` throws a WireError with `code`. */
export function expectWireError(fn: () => unknown, code: string): void {
  thrownError(fn, WireError, code);
}

/** Runs `fn`; any throw other than a WireError fails the test. Returns whether it threw. */
export function throwsOnlyWireError(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    return true;
  }
}

/**
 * A datagram with a correct hash around `type ‖ body`, signed by keyB unless a raw 65-byte
 * `signature` is given. Lets tests reach the body parser with bodies the encoder never makes.
 */
export function seal(type: number, body: Uint8Array, signature?: Uint8Array): Uint8Array {
  const tail = concatBytes(Uint8Array.of(type), body);
  const sig = signature ?? signRecoverable(keccak256(tail), PRIV_B);
  const signed = concatBytes(sig, tail);
  return concatBytes(keccak256(signed), signed);
}
