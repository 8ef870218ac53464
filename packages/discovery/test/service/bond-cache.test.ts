import { describe, expect, it } from 'vitest';
import { BondCache } from '../../src/service/bond-cache.ts';

describe('BondCache', () => {
  it('keeps at most limit entries, forgetting the least recently written', () => {
    const cache = new BondCache(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3);
    cache.set('c', 4);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(3);
    expect(cache.get('c')).toBe(4);
    expect(() => new BondCache(0)).toThrow(RangeError);
  });
});
