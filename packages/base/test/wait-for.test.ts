import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../src/index.ts';
import { nextTurn, waitFor } from '../src/testing/index.ts';

describe('waitFor', () => {
  it('re-checks on events and removes its listeners when done', async () => {
    const emitter = new EventEmitter<{ tick: () => void; other: () => void }>();
    let n = 0;
    const waiting = waitFor(() => n >= 3, { on: { emitters: [emitter], events: ['tick'] } });
    for (let i = 0; i < 3; i++) {
      n++;
      emitter.emit('tick');
    }
    await waiting;
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  it('does not re-check on other events, and rejects naming the condition on abort', async () => {
    const emitter = new EventEmitter<{ tick: () => void; other: () => void }>();
    let ready = false;
    const controller = new AbortController();
    const waiting = waitFor(() => ready, {
      what: 'ready',
      on: { emitters: [emitter], events: ['tick'] },
      signal: controller.signal,
    });
    ready = true;
    emitter.emit('other');
    controller.abort();
    await expect(waiting).rejects.toThrow('timed out waiting until ready');
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  it('drives a simulated clock step by step and stops at its budget', async () => {
    const clock = new SimulatedClock(0);
    let fired = false;
    clock.schedule(250, () => {
      fired = true;
    });
    await waitFor(() => fired, { clock: { clock, stepMs: 100, maxMs: 1000 } });
    expect(clock.now()).toBe(300);
    await expect(
      waitFor(() => false, { what: 'never', clock: { clock, stepMs: 100, maxMs: 500 } }),
    ).rejects.toThrow('timed out waiting until never');
    expect(clock.now()).toBe(800);
  });

  it('re-checks after each event-loop turn for I/O with no event, async predicates included', async () => {
    let done = false;
    setImmediate(() => {
      setImmediate(() => {
        done = true;
      });
    });
    await waitFor(async () => done);
    expect(done).toBe(true);
    const aborted = AbortSignal.abort();
    await nextTurn();
    await expect(waitFor(() => false, { signal: aborted })).rejects.toThrow('timed out');
  });
});
