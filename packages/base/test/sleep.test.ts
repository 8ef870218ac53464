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
});
