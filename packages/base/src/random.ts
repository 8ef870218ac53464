/**
 * Injected randomness. Logic never calls `Math.random` directly: it takes a {@link Random}, so
 * tests get repeatable randomness from {@link seededRandom}.
 * @module
 */
import { randomBytes } from 'node:crypto';

/** A source of randomness. */
export interface Random {
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** A random integer in [0, n). */
  intn(n: number): number;
}

/** Randomness from the operating system's CSPRNG. */
export const systemRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
  intn: (n) => Math.floor((randomBytes(4).readUInt32BE(0) / 0x1_0000_0000) * n),
};

/** A repeatable, non-cryptographic random source (xorshift32) for tests and simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = next() & 0xff;
      return out;
    },
    intn: (n) => Math.floor((next() / 0x1_0000_0000) * n),
  };
}
