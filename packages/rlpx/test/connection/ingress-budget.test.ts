import { describe, expect, it } from 'vitest';
import { IngressBudget, type IngressGrant } from '../../src/index.ts';

/** Whether `p` has settled after the pending microtasks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('IngressBudget', () => {
  it('grants at once while there is room, then makes later requests wait', async () => {
    const budget = new IngressBudget({ totalBytes: 100, thresholdBytes: 10 });
    const a = await budget.acquire(60);
    expect(a.bytes).toBe(60);
    const b = budget.acquire(50);
    expect(await settled(b)).toBe(false);
    expect(budget.stats()).toMatchObject({ heldBytes: 60, waiting: 1, waits: 1, grants: 1 });
    a.release();
    expect((await b).bytes).toBe(50);
    expect(budget.stats()).toMatchObject({ heldBytes: 50, peakHeldBytes: 60, waiting: 0 });
  });

  it('serves waiters in arrival order: a small request does not overtake a large one', async () => {
    const budget = new IngressBudget({ totalBytes: 100 });
    const first = await budget.acquire(80);
    const order: number[] = [];
    const large = budget.acquire(90).then((g) => {
      order.push(90);
      return g;
    });
    // 10 bytes would fit now, but the 90-byte request came first.
    const small = budget.acquire(10).then((g) => {
      order.push(10);
      return g;
    });
    expect(await settled(small)).toBe(false);
    first.release();
    const g90 = await large;
    const g10 = await small;
    expect(order).toEqual([90, 10]);
    expect(budget.stats().heldBytes).toBe(100);
    g90.release();
    g10.release();
    expect(budget.stats().heldBytes).toBe(0);
  });

  it('caps a grant larger than the pool at the pool size, so it passes alone', async () => {
    const budget = new IngressBudget({ totalBytes: 100 });
    const huge = await budget.acquire(1_000);
    expect(huge.bytes).toBe(100);
    const next = budget.acquire(1);
    expect(await settled(next)).toBe(false);
    huge.release();
    (await next).release();
    expect(budget.stats()).toMatchObject({ heldBytes: 0, peakHeldBytes: 100 });
  });

  it('release is idempotent', async () => {
    const budget = new IngressBudget({ totalBytes: 100 });
    const a = await budget.acquire(40);
    const b = await budget.acquire(40);
    a.release();
    a.release();
    expect(budget.stats().heldBytes).toBe(40);
    b.release();
    expect(budget.stats().heldBytes).toBe(0);
  });

  it('an aborted wait holds nothing and lets the waiters behind it through', async () => {
    const budget = new IngressBudget({ totalBytes: 100 });
    const held = await budget.acquire(50);
    const stop = new AbortController();
    const blocked = budget.acquire(80, stop.signal);
    const behind = budget.acquire(50);
    expect(await settled(behind)).toBe(false);
    const reason = new Error('peer dropped');
    stop.abort(reason);
    await expect(blocked).rejects.toBe(reason);
    const grant: IngressGrant = await behind;
    expect(budget.stats()).toMatchObject({ heldBytes: 100, waiting: 0 });
    held.release();
    grant.release();
    expect(budget.stats().heldBytes).toBe(0);
    await expect(budget.acquire(1, stop.signal)).rejects.toBe(reason);
  });

  it('charge takes room at once, past the pool if need be, and acquisitions wait for it', async () => {
    const b = new IngressBudget({ totalBytes: 100 });
    const first = await b.acquire(60);
    const charged = b.charge(70);
    expect(b.stats()).toMatchObject({ heldBytes: 130, peakHeldBytes: 130, grants: 1 });
    let got = false;
    const waiting = b.acquire(40).then((g) => {
      got = true;
      return g;
    });
    first.release();
    await Promise.resolve();
    expect(got).toBe(false); // 70 charged + 40 is past the size
    expect(b.stats()).toMatchObject({ heldBytes: 70, waiting: 1 });
    charged.release();
    const g = await waiting;
    expect(b.stats()).toMatchObject({ heldBytes: 40, waiting: 0 });
    g.release();
    expect(() => b.charge(0)).toThrow(RangeError);
  });

  it('rejects invalid sizes', () => {
    expect(() => new IngressBudget({ totalBytes: 0 })).toThrow(RangeError);
    expect(() => new IngressBudget({ thresholdBytes: 1.5 })).toThrow(RangeError);
    expect(() => new IngressBudget().acquire(0)).toThrow(RangeError);
  });
});
