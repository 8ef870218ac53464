import { describe, expect, it } from 'vitest';
import { BondCache } from '../../src/service/bond-cache.ts';

describe('BondCache', () => {
  it('keeps bonds of at most limit node IDs, forgetting the least recently written', () => {
    const cache = new BondCache(2);
    cache.set('a', '10.0.0.1', 1);
    cache.set('b', '10.0.0.2', 2);
    cache.set('a', '10.0.0.1', 3);
    cache.set('c', '10.0.0.3', 4);
    expect(cache.size).toBe(2);
    expect(cache.get('b', '10.0.0.2')).toBeUndefined();
    expect(cache.get('a', '10.0.0.1')).toBe(3);
    expect(cache.get('c', '10.0.0.3')).toBe(4);
    expect(() => new BondCache(0)).toThrow(RangeError);
  });

  it('keys a bond by ID and IP: the same ID from another IP is not bonded', () => {
    const cache = new BondCache(4);
    cache.set('a', '10.0.0.1', 5);
    expect(cache.get('a', '10.0.0.9')).toBeUndefined();
    cache.set('a', '10.0.0.9', 6);
    expect(cache.get('a', '10.0.0.1')).toBe(5);
    expect(cache.get('a', '10.0.0.9')).toBe(6);
    expect(cache.size).toBe(1);
  });

  it('knows the latest bond of any node at an IP, for at most limit IPs', () => {
    const cache = new BondCache(2);
    cache.set('a', '10.0.0.1', 1);
    cache.set('b', '10.0.0.1', 2);
    expect(cache.latestAt('10.0.0.1')).toBe(2);
    cache.set('c', '10.0.0.2', 3);
    cache.set('a', '10.0.0.1', 4); // rewritten: now the most recent IP
    cache.set('d', '10.0.0.3', 5); // forgets the least recently written IP, 10.0.0.2
    expect(cache.latestAt('10.0.0.2')).toBeUndefined();
    expect(cache.latestAt('10.0.0.1')).toBe(4);
    expect(cache.latestAt('10.0.0.3')).toBe(5);
    expect(cache.latestAt('10.0.0.9')).toBeUndefined();
  });
});
