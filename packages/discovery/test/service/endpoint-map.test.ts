import { describe, expect, it } from 'vitest';
import { EndpointMap, MAX_IPS_PER_ID } from '../../src/service/endpoint-map.ts';

describe('EndpointMap', () => {
  it('evicts the ID written least recently, with all of its IPs', () => {
    const map = new EndpointMap<number>(2);
    map.set('a', '1.1.1.1', 1);
    map.set('a', '2.2.2.2', 2);
    map.set('b', '3.3.3.3', 3);
    map.set('a', '1.1.1.1', 4); // a is now the most recent
    map.set('c', '4.4.4.4', 5);
    expect(map.size).toBe(2);
    expect(map.get('b', '3.3.3.3')).toBeUndefined();
    expect(map.get('a', '1.1.1.1')).toBe(4);
    expect(map.get('a', '2.2.2.2')).toBe(2);
    expect(map.get('c', '4.4.4.4')).toBe(5);
  });

  it('keeps at most MAX_IPS_PER_ID IPs per ID, forgetting the least recently written', () => {
    const map = new EndpointMap<number>(8);
    for (let i = 0; i <= MAX_IPS_PER_ID; i++) map.set('a', `10.0.0.${i}`, i);
    expect(map.get('a', '10.0.0.0')).toBeUndefined();
    for (let i = 1; i <= MAX_IPS_PER_ID; i++) expect(map.get('a', `10.0.0.${i}`)).toBe(i);
  });

  it('upsert makes a value once and moves the ID only when touched', () => {
    const map = new EndpointMap<{ n: number }>(2);
    let made = 0;
    const make = () => ({ n: ++made });
    const first = map.upsert('a', '1.1.1.1', make, false);
    expect(map.upsert('a', '1.1.1.1', make, false)).toBe(first);
    expect(made).toBe(1);
    map.upsert('b', '2.2.2.2', make, false);
    map.upsert('a', '1.1.1.1', make, false); // not touched: a stays the oldest
    map.upsert('c', '3.3.3.3', make, false);
    expect(map.get('a', '1.1.1.1')).toBeUndefined();
    map.upsert('b', '2.2.2.2', make, true); // touched: c is now the oldest
    map.upsert('d', '4.4.4.4', make, false);
    expect(map.get('c', '3.3.3.3')).toBeUndefined();
    expect(map.get('b', '2.2.2.2')).toEqual({ n: 2 });
    expect(() => new EndpointMap(0)).toThrow(RangeError);
  });
});
