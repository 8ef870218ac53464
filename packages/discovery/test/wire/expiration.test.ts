import { describe, expect, it } from 'vitest';
import {
  chunkNeighbors,
  EXPIRATION_MS,
  expirationFromNow,
  isExpired,
} from '../../src/wire/index.ts';

const NOW_S = 1_700_000_000n;
const NOW_MS = Number(NOW_S) * 1000;

describe('isExpired (signed 64-bit seconds, strictly in the past)', () => {
  it.each([
    ['now - 1 s', NOW_S - 1n, true],
    ['now', NOW_S, false],
    ['now + 1 s', NOW_S + 1n, false],
    ['0', 0n, true],
    ['2^63 - 1 (far future)', 2n ** 63n - 1n, false],
    ['2^63 (negative as int64)', 2n ** 63n, true],
    ['2^64 - 1 (-1 as int64)', 2n ** 64n - 1n, true],
  ])('%s', (_name, expiration, expired) => {
    expect(isExpired(expiration, NOW_MS)).toBe(expired);
  });

  it('counts the same second as expired once now is past it', () => {
    expect(isExpired(NOW_S, NOW_MS + 1)).toBe(true);
  });

  it('rejects misuse', () => {
    expect(() => isExpired(-1n, NOW_MS)).toThrow(RangeError);
    expect(() => isExpired(2n ** 64n, NOW_MS)).toThrow(RangeError);
    expect(() => isExpired(1 as unknown as bigint, NOW_MS)).toThrow(TypeError);
    expect(() => isExpired(1n, Number.NaN)).toThrow(RangeError);
  });
});

describe('expirationFromNow', () => {
  it('is whole seconds 20 s ahead by default', () => {
    expect(EXPIRATION_MS).toBe(20_000);
    expect(expirationFromNow(NOW_MS + 999)).toBe(NOW_S + 20n);
    expect(expirationFromNow(NOW_MS, 1000)).toBe(NOW_S + 1n);
  });

  it('is not expired when sent and expired after the offset', () => {
    const exp = expirationFromNow(NOW_MS);
    expect(isExpired(exp, NOW_MS)).toBe(false);
    expect(isExpired(exp, NOW_MS + EXPIRATION_MS + 1)).toBe(true);
  });

  it('rejects a negative or non-finite time', () => {
    expect(() => expirationFromNow(-30_000)).toThrow(RangeError);
    expect(() => expirationFromNow(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('chunkNeighbors', () => {
  const nodes = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

  it('splits 16 nodes into 12 + 4, as geth does', () => {
    expect(chunkNeighbors(nodes(16)).map((c) => c.length)).toEqual([12, 4]);
  });

  it('keeps order and gives exact chunks', () => {
    expect(chunkNeighbors(nodes(24))).toEqual([nodes(12), nodes(24).slice(12)]);
  });

  it('gives one empty chunk for no nodes (geth still answers)', () => {
    expect(chunkNeighbors([])).toEqual([[]]);
  });

  it('rejects a size below 1', () => {
    expect(() => chunkNeighbors(nodes(3), 0)).toThrow(RangeError);
  });
});
