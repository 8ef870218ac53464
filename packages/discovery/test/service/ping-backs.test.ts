import { describe, expect, it } from 'vitest';
import { PingBackLimiter } from '../../src/service/ping-backs.ts';

describe('PingBackLimiter', () => {
  it('allows one ping-back per key and at most limit in all', () => {
    const limiter = new PingBackLimiter(2);
    expect(limiter.tryAcquire('a|1.2.3.4')).toBe(true);
    expect(limiter.tryAcquire('a|1.2.3.4')).toBe(false);
    expect(limiter.tryAcquire('b|1.2.3.4')).toBe(true);
    expect(limiter.tryAcquire('c|1.2.3.4')).toBe(false);
    expect(limiter.size).toBe(2);
    expect(limiter.isPending('a|1.2.3.4')).toBe(true);
    expect(limiter.isPending('c|1.2.3.4')).toBe(false); // refused: not pending
    limiter.release('a|1.2.3.4');
    expect(limiter.isPending('a|1.2.3.4')).toBe(false);
    expect(limiter.tryAcquire('c|1.2.3.4')).toBe(true);
    expect(limiter.tryAcquire('a|1.2.3.4')).toBe(false);
    expect(() => new PingBackLimiter(0)).toThrow('limit: expected a positive integer, got 0');
  });
});
