import { describe, expect, it } from 'vitest';
import { SimulatedClock, sleep } from '../src/index.ts';

describe('sleep', () => {
  it('resolves after ms on the clock, or at once for ms <= 0', async () => {
    const clock = new SimulatedClock(0);
    let done = false;
    const p = sleep(clock, 100, new AbortController().signal).then(() => {
      done = true;
    });
    clock.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(clock.pending).toBe(0);
    await expect(sleep(clock, 0, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('rejects with the reason on abort and cancels its timer', async () => {
    const clock = new SimulatedClock(0);
    const controller = new AbortController();
    const p = sleep(clock, 100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(sleep(clock, 100, controller.signal)).rejects.toThrow('stop');
  });

  it('with several signals, ends on whichever aborts first and stops listening to all', async () => {
    const clock = new SimulatedClock(0);
    const a = new AbortController();
    const b = new AbortController();
    const p = sleep(clock, 100, [a.signal, b.signal]);
    b.abort(new Error('b stopped'));
    await expect(p).rejects.toThrow('b stopped');
    expect(clock.pending).toBe(0);
    a.abort(new Error('a stopped')); // no listener left: nothing more happens
    await expect(sleep(clock, 100, [a.signal, b.signal])).rejects.toThrow('a stopped');

    const c = new AbortController();
    const d = new AbortController();
    let done = false;
    const q = sleep(clock, 50, [c.signal, d.signal]).then(() => {
      done = true;
    });
    clock.advance(50);
    await q;
    expect(done).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
