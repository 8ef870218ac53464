import { describe, expect, it } from 'vitest';
import { KnownSet } from '../../src/peer/known-set.ts';
import { hashOf } from './fixtures.ts';

describe('KnownSet', () => {
  it('holds at most its capacity, forgetting the oldest first', () => {
    const set = new KnownSet(3);
    set.add(hashOf(1), hashOf(2), hashOf(3));
    set.add(hashOf(4));
    expect(set.size).toBe(3);
    expect(set.has(hashOf(1))).toBe(false);
    expect([2, 3, 4].every((n) => set.has(hashOf(n)))).toBe(true);
  });

  it('keeps the newest of one large batch', () => {
    const set = new KnownSet(2);
    set.add(...[1, 2, 3, 4, 5].map(hashOf));
    expect(set.size).toBe(2);
    expect(set.has(hashOf(4)) && set.has(hashOf(5))).toBe(true);
  });

  it('refreshes an entry that is added again', () => {
    const set = new KnownSet(2);
    set.add(hashOf(1), hashOf(2));
    set.add(hashOf(1));
    set.add(hashOf(3));
    expect(set.has(hashOf(1))).toBe(true);
    expect(set.has(hashOf(2))).toBe(false);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new KnownSet(0)).toThrow(RangeError);
    expect(() => new KnownSet(1.5)).toThrow(RangeError);
  });
});
