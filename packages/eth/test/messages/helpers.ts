/** Helpers for the message tests: typed-error assertions and fast-check arbitraries. */
import { RLP } from '@ethereumjs/rlp';
import { RlpError } from '@ethp2p/base/rlp';
import { thrownError } from '@ethp2p/base/testing';
import fc from 'fast-check';
import { EthError } from '../../src/errors.ts';

/** Asserts that `fn` throws an EthError with `code`. */
export function expectEthError(fn: () => unknown, code: string): void {
  thrownError(fn, EthError, code);
}

/**
 * Runs `fn`; any throw other than a deliberate EthError (one without a `cause`, or with the RLP
 * reader's `RlpError` as its cause; not a bug caught by the codec's safety net) fails the test.
 * Returns whether it threw.
 */
export function throwsOnlyEthError(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (!(err instanceof EthError)) throw err;
    if (err.cause !== undefined && !(err.cause instanceof RlpError)) throw err;
    return true;
  }
}

/** Nested RLP input: byte strings and lists. */
export type Nested = Uint8Array | Nested[];

/** Arbitrary nested RLP data (what `RLP.encode` takes). */
export const nested: fc.Arbitrary<Nested> = fc.letrec<{ item: Nested }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 70 }),
    fc.array(tie('item'), { maxLength: 5 }),
  ),
})).item;

/** `n` random bytes. */
export const bytes = (n: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: n, maxLength: n });

/** A 32-byte hash. */
export const hash: fc.Arbitrary<Uint8Array> = bytes(32);

/** A u64. */
export const u64: fc.Arbitrary<bigint> = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

/** A canonical RLP integer item of `v`. */
export const uint = (v: bigint | number): Uint8Array => RLP.encode(BigInt(v));

/** A byte of value < 0x80 followed by data: a typed transaction or receipt type. */
export const txType: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0x7f });
