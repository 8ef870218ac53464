import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { TimerWheel } from '../../src/peer/timer-wheel.ts';

describe('TimerWheel', () => {
  it('runs every timer on one underlying timer, never early, at most a tick late', () => {
    const clock = new SimulatedClock(0);
    const wheel = new TimerWheel(clock, 100);
    const ran: string[] = [];
    wheel.schedule(250, () => ran.push('a'));
    wheel.schedule(1000, () => ran.push('b'));
    clock.advance(10);
    wheel.schedule(190, () => ran.push('c')); // due 200: on a tick
    expect(wheel.pending).toBe(3);
    expect(clock.pending).toBe(1);
    clock.advance(189);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual(['c']);
    clock.advance(99); // a is due at 250 and runs at the 300 tick
    expect(ran).toEqual(['c']);
    clock.advance(1);
    expect(ran).toEqual(['c', 'a']);
    clock.advance(700);
    expect(ran).toEqual(['c', 'a', 'b']);
    expect(wheel.pending).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('cancels timers; with none left the underlying timer goes too', () => {
    const clock = new SimulatedClock(0);
    const wheel = new TimerWheel(clock, 100);
    let ran = 0;
    const timers = Array.from({ length: 1000 }, (_, i) =>
      wheel.schedule(100 * (i % 30), () => ran++),
    );
    expect(clock.pending).toBe(1);
    for (const t of timers.slice(0, 999)) t.cancel();
    timers[0]?.cancel(); // twice: harmless
    expect(wheel.pending).toBe(1);
    timers[999]?.cancel();
    expect(wheel.pending).toBe(0);
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(ran).toBe(0);
  });

  it('runs timers scheduled by a running one when due, and keeps earlier ticks armed', () => {
    const clock = new SimulatedClock(0);
    const wheel = new TimerWheel(clock, 100);
    const ran: string[] = [];
    wheel.schedule(100, () => {
      ran.push('first');
      wheel.schedule(0, () => ran.push('now'));
      wheel.schedule(900, () => ran.push('late'));
    });
    wheel.schedule(300, () => ran.push('middle'));
    clock.advance(100);
    expect(ran).toEqual(['first', 'now']);
    clock.advance(200);
    expect(ran).toEqual(['first', 'now', 'middle']);
    clock.advance(700);
    expect(ran).toEqual(['first', 'now', 'middle', 'late']);
  });

  it('a throwing timer does not stop the others of its tick; the error surfaces', () => {
    const clock = new SimulatedClock(0);
    const wheel = new TimerWheel(clock, 100);
    const ran: number[] = [];
    wheel.schedule(100, () => ran.push(1));
    wheel.schedule(100, () => {
      throw new Error('boom');
    });
    wheel.schedule(100, () => ran.push(3));
    wheel.schedule(200, () => ran.push(4));
    expect(() => clock.advance(100)).toThrow('boom');
    expect(ran).toEqual([1, 3]);
    clock.advance(100);
    expect(ran).toEqual([1, 3, 4]);
  });

  it('rejects a tick that is not a positive number of milliseconds', () => {
    expect(() => new TimerWheel(new SimulatedClock(0), 0)).toThrow(RangeError);
  });
});
