import { seededRandom } from '@ethp2p/base';
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

  it('keeps the place of an entry added again (no refresh, as geth knownCache)', () => {
    const set = new KnownSet(2);
    set.add(hashOf(1), hashOf(2));
    set.add(hashOf(1));
    expect(set.size).toBe(2);
    set.add(hashOf(3));
    expect(set.has(hashOf(1))).toBe(false);
    expect(set.has(hashOf(2)) && set.has(hashOf(3))).toBe(true);
  });

  it('agrees with a reference model through growth and many evictions', () => {
    const random = seededRandom(7);
    const capacity = 300;
    const set = new KnownSet(capacity, random);
    const model: string[] = [];
    const all: Uint8Array[] = [];
    for (let round = 0; round < 40; round++) {
      // Batches of fresh hashes, some repeats of live and of evicted ones.
      const batch = Array.from({ length: 1 + random.intn(60) }, () => {
        const pick = random.intn(4);
        if (pick === 0 && all.length > 0) return all[random.intn(all.length)] as Uint8Array;
        const h = random.bytes(32);
        all.push(h);
        return h;
      });
      set.add(...batch);
      for (const h of batch) {
        const key = Buffer.from(h).toString('hex');
        if (model.includes(key)) continue;
        model.push(key);
        if (model.length > capacity) model.shift();
      }
      expect(set.size).toBe(model.length);
      const live = new Set(model);
      for (const h of all) {
        expect(set.has(h)).toBe(live.has(Buffer.from(h).toString('hex')));
      }
    }
  });

  it('tells apart hashes that differ in any one byte', () => {
    const set = new KnownSet(64);
    const base = new Uint8Array(32);
    const variants = Array.from({ length: 32 }, (_, i) => {
      const h = base.slice();
      h[i] = 1;
      return h;
    });
    set.add(base, ...variants.slice(0, 16));
    expect(set.has(base)).toBe(true);
    for (const [i, h] of variants.entries()) expect(set.has(h)).toBe(i < 16);
  });

  it('gives back its room on clear', () => {
    const set = new KnownSet(1000);
    set.add(...Array.from({ length: 1000 }, (_, i) => hashOf(i)));
    expect(set.size).toBe(1000);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.has(hashOf(5))).toBe(false);
    set.add(hashOf(5));
    expect(set.has(hashOf(5))).toBe(true);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new KnownSet(0)).toThrow(RangeError);
    expect(() => new KnownSet(1.5)).toThrow(RangeError);
  });
});
