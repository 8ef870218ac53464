import { seededRandom } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { DialHistory } from '../../src/dial/history.ts';

describe('DialHistory', () => {
  it('holds a key until its expiry, inclusive', () => {
    const h = new DialHistory();
    h.add('a', 100);
    expect(h.contains('a')).toBe(true);
    expect(h.expire(99)).toBe(0);
    expect(h.contains('a')).toBe(true);
    expect(h.expire(100)).toBe(1);
    expect(h.contains('a')).toBe(false);
    expect(h.size).toBe(0);
    expect(h.nextExpiry()).toBeUndefined();
  });

  it('reports the earliest expiry and expires in order', () => {
    const h = new DialHistory();
    h.add('c', 300);
    h.add('a', 100);
    h.add('b', 200);
    expect(h.nextExpiry()).toBe(100);
    expect(h.expire(250)).toBe(2);
    expect([h.contains('a'), h.contains('b'), h.contains('c')]).toEqual([false, false, true]);
    expect(h.nextExpiry()).toBe(300);
    expect(h.expiresAt('c')).toBe(300);
  });

  it('moves the expiry of a key added again, later or earlier', () => {
    const h = new DialHistory();
    h.add('a', 100);
    h.add('a', 500);
    expect(h.size).toBe(1);
    expect(h.nextExpiry()).toBe(500);
    expect(h.expire(200)).toBe(0);
    expect(h.contains('a')).toBe(true);
    h.add('a', 50);
    expect(h.nextExpiry()).toBe(50);
    expect(h.expire(60)).toBe(1);
    expect(h.contains('a')).toBe(false);
    expect(h.expire(1000)).toBe(0);
    expect(h.nextExpiry()).toBeUndefined();
  });

  it('matches a sorted model on random operations', () => {
    const random = seededRandom(7);
    const h = new DialHistory();
    const model = new Map<string, number>();
    let now = 0;
    for (let step = 0; step < 1000; step++) {
      if (random.intn(3) === 0) {
        now += random.intn(50);
        for (const [k, t] of model) if (t <= now) model.delete(k);
        h.expire(now);
      } else {
        const key = `k${random.intn(40)}`;
        const at = now + random.intn(200);
        model.set(key, at);
        h.add(key, at);
      }
      expect(h.size).toBe(model.size);
      const min = model.size === 0 ? undefined : Math.min(...model.values());
      expect(h.nextExpiry()).toBe(min);
    }
  });

  it('rejects bad arguments', () => {
    const h = new DialHistory();
    expect(() => h.add(1 as unknown as string, 5)).toThrow(TypeError);
    expect(() => h.add('a', Number.NaN)).toThrow(RangeError);
    expect(() => h.add('a', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
