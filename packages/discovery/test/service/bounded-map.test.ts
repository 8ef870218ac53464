import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/service/bounded-map.ts';

describe('BoundedMap', () => {
  it('keeps at most limit entries, forgetting the one written longest ago', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // rewritten: now the newest
    map.set('c', 4);
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(3);
    expect(map.get('c')).toBe(4);
    expect(() => new BoundedMap(0)).toThrow('limit: expected a positive integer, got 0');
  });
});
