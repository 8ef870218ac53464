import { describe, expect, it } from 'vitest';
import { SimulatedClock, seededRandom } from '../src/index.ts';

describe('SimulatedClock', () => {
  it('runs due timers in order and skips cancelled ones', () => {
    const clock = new SimulatedClock(1000);
    const ran: string[] = [];
    clock.schedule(30, () => ran.push('c'));
    clock.schedule(10, () => {
      ran.push('a');
      clock.schedule(5, () => ran.push('b'));
    });
    const cancelled = clock.schedule(20, () => ran.push('x'));
    cancelled.cancel();
    clock.advance(25);
    expect(ran).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1025);
    clock.advance(5);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(clock.pending).toBe(0);
  });
});

describe('seededRandom', () => {
  it('repeats for the same seed and differs for another', () => {
    expect(seededRandom(7).bytes(16)).toEqual(seededRandom(7).bytes(16));
    expect(seededRandom(7).bytes(16)).not.toEqual(seededRandom(8).bytes(16));
    const r = seededRandom(1);
    for (let i = 0; i < 100; i++) expect(r.intn(10)).toBeLessThan(10);
  });
});
