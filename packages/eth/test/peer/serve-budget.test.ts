/**
 * The serve budget on a simulated clock: each job advances the clock by what it "costs", so the
 * buckets, the rotation and the slices are exact.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { DiscReason, PeerError } from '@ethp2p/server';
import { describe, expect, it } from 'vitest';
import {
  ServeBudget,
  type ServeBudgetOptions,
  type ServeLane,
} from '../../src/peer/serve-budget.ts';

function budget(options: ServeBudgetOptions = {}): { budget: ServeBudget; clock: SimulatedClock } {
  const clock = new SimulatedClock(1_000_000);
  return { budget: new ServeBudget({ clock, ...options }), clock };
}

/** A job that costs `ms` of (simulated) time and records `name` when it runs. */
function costly(clock: SimulatedClock, log: string[], name: string, ms: number): () => string {
  return () => {
    log.push(name);
    clock.advance(ms);
    return name;
  };
}

describe('ServeBudget', () => {
  it('rejects bad options', () => {
    expect(() => new ServeBudget({ sliceMs: 0 })).toThrow(RangeError);
    expect(() => new ServeBudget({ maxInFlightBytes: 1.5 })).toThrow(RangeError);
  });

  it('runs a job in a later turn and returns its result, or rethrows its error', async () => {
    const { budget: b } = budget();
    const lane = b.join(new AbortController().signal);
    let ran = false;
    const result = lane.run(() => {
      ran = true;
      return 42;
    });
    expect(ran).toBe(false);
    expect(await result).toBe(42);
    const err = await rejectedError(
      lane.run(() => {
        throw new RangeError('bad');
      }),
      RangeError,
    );
    expect(err.message).toBe('bad');
    expect(b.metrics).toMatchObject({ handled: 2, deferred: 0, peers: 1, throttled: 0 });
  });

  it('serves peers in turn: a peer with messages back to back lets the other in after one', async () => {
    const { budget: b, clock } = budget();
    const log: string[] = [];
    const a = b.join(new AbortController().signal);
    const c = b.join(new AbortController().signal);
    const flood = (async () => {
      for (let i = 1; i <= 4; i++) await a.run(costly(clock, log, `a${i}`, 1));
    })();
    await waitFor(() => log.length === 1, { what: 'the first job of a ran' });
    await c.run(costly(clock, log, 'c1', 1));
    await flood;
    expect(log.indexOf('c1')).toBeLessThanOrEqual(2);
    expect(log.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('gives the event loop back after each slice of work', async () => {
    const { budget: b, clock } = budget({ sliceMs: 4 });
    const log: string[] = [];
    const lanes = Array.from({ length: 6 }, () => b.join(new AbortController().signal));
    const jobs = lanes.map((lane, i) => lane.run(costly(clock, log, `j${i}`, 3)));
    // An I/O turn queued after the rotation's first one: it runs between two slices.
    const marks = (async () => {
      for (let i = 0; i < 3; i++) {
        await nextTurn();
        log.push('io');
      }
    })();
    await Promise.all([...jobs, marks]);
    // 3 ms each against a 4 ms slice: two jobs, then the loop's turn.
    expect(log.slice(0, 9)).toEqual(['j0', 'j1', 'io', 'j2', 'j3', 'io', 'j4', 'j5', 'io']);
  });

  it('defers a peer over its time budget until it refills, while another peer is served', async () => {
    const { budget: b, clock } = budget({ timePerSecondMs: 100, timeBurstMs: 250 });
    const log: string[] = [];
    const a = b.join(new AbortController().signal);
    const c = b.join(new AbortController().signal);
    await a.run(costly(clock, log, 'a1', 300)); // 50 ms in debt: 500 ms to refill
    const next = a.run(costly(clock, log, 'a2', 1));
    await c.run(costly(clock, log, 'c1', 1));
    await nextTurn();
    expect(log).toEqual(['a1', 'c1']);
    expect(b.metrics).toMatchObject({ deferred: 1, throttled: 1 });
    clock.advance(400);
    await nextTurn();
    expect(log).toEqual(['a1', 'c1']);
    clock.advance(200);
    expect(await next).toBe('a2');
    expect(b.metrics).toMatchObject({ handled: 3, handlingMs: 302, throttled: 0 });
  });

  it('runs a response to our request at once and free, even for a peer over budget', async () => {
    const { budget: b, clock } = budget({ timePerSecondMs: 100, timeBurstMs: 100 });
    const log: string[] = [];
    const a = b.join(new AbortController().signal);
    await a.run(costly(clock, log, 'a1', 300)); // 200 ms in debt: 2 s to refill
    expect(await a.run(costly(clock, log, 'response', 50), { solicited: true })).toBe('response');
    expect(b.metrics).toMatchObject({ deferred: 0, handled: 2 });
    // The response was not charged: the debt is still 200 ms, less what 50 ms earned.
    const next = a.run(costly(clock, log, 'a2', 1));
    clock.advance(1_940);
    await nextTurn();
    expect(log).toEqual(['a1', 'response']);
    clock.advance(20);
    expect(await next).toBe('a2');
  });

  it('slows a peer that asks as fast as it is served, never drops it; drops one that does not read', async () => {
    const { budget: b, clock } = budget({
      timePerSecondMs: 100,
      timeBurstMs: 100,
      maxInFlightBytes: 1_000,
      dropAfterMs: 2_000,
    });
    const log: string[] = [];
    const greedy = b.join(new AbortController().signal);
    // Each message costs 50 ms: half a second of budget, so each waits; 20 of them take far
    // longer than the drop delay in all.
    const started = clock.now();
    for (let i = 0; i < 20; i++) {
      const outcome = greedy.run(costly(clock, log, `g${i}`, 50));
      await nextTurn();
      while (b.metrics.throttled === 1) {
        clock.advance(100);
        await nextTurn();
      }
      expect(await outcome).toBe(`g${i}`);
    }
    expect(clock.now() - started).toBeGreaterThan(4_000);
    expect(b.metrics.dropped).toBe(0);
    expect(b.metrics.deferred).toBeGreaterThan(10);

    // A peer whose response is never written: its next message waits, and is dropped.
    const stuck = b.join(new AbortController().signal);
    stuck.sent(1_500, new Promise<void>(() => {}));
    const next = stuck.run(costly(clock, log, 's1', 1)).then(
      () => undefined,
      (e: unknown) => e,
    );
    clock.advance(1_999);
    await nextTurn();
    expect(b.metrics).toMatchObject({ throttled: 1, dropped: 0 });
    clock.advance(1);
    const err = await next;
    expect(err).toBeInstanceOf(PeerError);
    expect((err as PeerError).reason).toBe(DiscReason.UselessPeer);
    expect((err as Error).message).toMatch(/^eth: over its serve budget for \d+ ms$/);
    expect(b.metrics.dropped).toBe(1);
    expect(log).not.toContain('s1');
  });

  it('holds a peer with a response in flight past the cap until it is written', async () => {
    const { budget: b, clock } = budget({ maxInFlightBytes: 1_000 });
    const log: string[] = [];
    const a = b.join(new AbortController().signal);
    let written: () => void = () => {};
    a.sent(1_500, new Promise<void>((resolve) => (written = resolve)));
    const next = a.run(costly(clock, log, 'a1', 1));
    clock.advance(9_000); // less than the drop delay (10 s)
    await nextTurn();
    await nextTurn();
    expect(log).toEqual([]);
    expect(b.metrics).toMatchObject({ deferred: 1, throttled: 1, responseBytes: 1_500 });
    written();
    expect(await next).toBe('a1');
  });

  it('defers a peer over its bytes budget until it refills', async () => {
    const { budget: b, clock } = budget({ bytesPerSecond: 1_000, bytesBurst: 1_000 });
    const log: string[] = [];
    const a = b.join(new AbortController().signal);
    a.sent(1_500, Promise.resolve()); // 500 bytes in debt: 500 ms to refill
    await nextTurn();
    const next = a.run(costly(clock, log, 'a1', 1));
    clock.advance(450);
    await nextTurn();
    expect(log).toEqual([]);
    clock.advance(100);
    expect(await next).toBe('a1');
  });

  it('a lane leaves when its signal aborts: its waiting job rejects with the reason', async () => {
    const { budget: b, clock } = budget({ timeBurstMs: 10 });
    const controller = new AbortController();
    const a = b.join(controller.signal);
    await a.run(costly(clock, [], 'a1', 100));
    const waiting = a.run(() => 'never');
    expect(b.metrics).toMatchObject({ peers: 1, throttled: 1 });
    const reason = new Error('gone');
    controller.abort(reason);
    expect(await rejectedError(waiting, Error)).toBe(reason);
    expect(b.metrics).toMatchObject({ peers: 0, throttled: 0 });
    expect(clock.pending).toBe(0);
    const late = await rejectedError(
      a.run(() => 1),
      PeerError,
    );
    expect(late.reason).toBe(DiscReason.ClientQuitting);
  });

  it('caps the responses of all peers in flight together: the others wait in order, never dropped', async () => {
    let pooled = 0;
    const pool = {
      charge(bytes: number) {
        pooled += bytes;
        let released = false;
        return {
          release() {
            if (!released) pooled -= bytes;
            released = true;
          },
        };
      },
    };
    const { budget: b, clock } = budget({ maxTotalInFlightBytes: 1_000, pool });
    const log: string[] = [];
    const join = () => b.join(new AbortController().signal);
    const [a, c, d, e] = [join(), join(), join(), join()];
    const writes: (() => void)[] = [];
    const written = (): Promise<void> => new Promise<void>((resolve) => writes.push(resolve));
    /** A job that sends a response of `bytes`, charged as the handler does, inside the job. */
    const responding = (lane: ServeLane, name: string, bytes: number) => () => {
      log.push(name);
      clock.advance(1);
      lane.sent(bytes, written());
      return name;
    };
    a.sent(1_200, written());
    expect(pooled).toBe(1_200);
    const jobs = [
      c.run(responding(c, 'c1', 600)),
      d.run(responding(d, 'd1', 600)),
      e.run(responding(e, 'e1', 600)),
    ];
    clock.advance(30_000); // past the drop delay: waiting for the others is no fault of theirs
    await nextTurn();
    await nextTurn();
    expect(log).toEqual([]);
    expect(b.metrics).toMatchObject({ waitingForRoom: 3, throttled: 0, dropped: 0, deferred: 3 });

    // a's response is taken: c and d fit under the cap (c's 600 leaves room), e waits again.
    writes[0]?.();
    await waitFor(() => log.length === 2, { what: 'c and d ran' });
    await nextTurn();
    expect(log).toEqual(['c1', 'd1']);
    expect(b.metrics).toMatchObject({ waitingForRoom: 1, inFlightBytes: 1_200 });
    writes[1]?.();
    expect(await Promise.all(jobs)).toEqual(['c1', 'd1', 'e1']);
    for (const w of writes) w();
    await waitFor(() => b.metrics.inFlightBytes === 0, { what: 'every response taken' });
    expect(pooled).toBe(0);
    expect(b.metrics).toMatchObject({ peakInFlightBytes: 1_200, waitingForRoom: 0, dropped: 0 });
  });

  it('caps the handling time of all peers together: the rotation pauses until it refills', async () => {
    const { budget: b, clock } = budget({ totalTimePerSecondMs: 100 });
    const log: string[] = [];
    const lanes = [0, 1, 2].map(() => b.join(new AbortController().signal));
    // 80 ms each: the first leaves 20 ms, the second takes the cap 60 ms into debt.
    const jobs = lanes.map((lane, i) => lane.run(costly(clock, log, `j${i}`, 80)));
    await waitFor(() => log.length === 2, { what: 'two jobs ran' });
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(log).toEqual(['j0', 'j1']);
    clock.advance(500); // 50 ms earned back: still 10 ms in debt
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(log).toEqual(['j0', 'j1']);
    clock.advance(200);
    expect(await Promise.all(jobs)).toEqual(['j0', 'j1', 'j2']);
    expect(() => new ServeBudget({ totalTimePerSecondMs: 0 })).toThrow(RangeError);
  });
});
