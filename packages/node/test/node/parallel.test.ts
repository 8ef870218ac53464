import { describe, expect, it } from 'vitest';
import { filterParallel } from '../../src/node/parallel.ts';

/** A check whose results the test releases one by one. */
function gate() {
  const waiting = new Map<number, (keep: boolean) => void>();
  let active = 0;
  let maxActive = 0;
  const aborted: number[] = [];
  const check = (item: number, signal: AbortSignal): Promise<number | undefined> => {
    active++;
    maxActive = Math.max(maxActive, active);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        active--;
        waiting.delete(item);
        aborted.push(item);
        reject(signal.reason);
      };
      waiting.set(item, (keep) => {
        active--;
        waiting.delete(item);
        signal.removeEventListener('abort', onAbort);
        resolve(keep ? item * 10 : undefined);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };
  return { waiting, check, aborted, maxActive: () => maxActive };
}

async function* numbers(n: number, signal: AbortSignal): AsyncGenerator<number> {
  for (let i = 1; i <= n && !signal.aborted; i++) yield i;
}

describe('filterParallel', () => {
  it('yields kept results in completion order with at most `parallel` checks at once', async () => {
    const g = gate();
    const it = filterParallel((s) => numbers(5, s), g.check, 2)[Symbol.asyncIterator]();
    const first = it.next();
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect([...g.waiting.keys()]).toEqual([1, 2]);
    g.waiting.get(2)?.(true);
    expect(await first).toEqual({ done: false, value: 20 });
    const second = it.next();
    await new Promise((r) => setImmediate(r));
    expect([...g.waiting.keys()].sort()).toEqual([1, 3]);
    g.waiting.get(1)?.(false);
    await new Promise((r) => setImmediate(r));
    g.waiting.get(3)?.(true);
    expect(await second).toEqual({ done: false, value: 30 });
    const rest = (async () => {
      const out: number[] = [];
      for (;;) {
        const r = await it.next();
        if (r.done === true) return out;
        out.push(r.value);
      }
    })();
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setImmediate(r));
      for (const [, release] of g.waiting) release(true);
    }
    expect((await rest).sort()).toEqual([40, 50]);
    expect(g.maxActive()).toBe(2);
  });

  it('drops items whose check throws', async () => {
    const out: number[] = [];
    const check = async (n: number) => {
      if (n % 2 === 0) throw new Error('no record');
      return n;
    };
    for await (const n of filterParallel((s) => numbers(6, s), check, 3)) out.push(n);
    expect(out.sort()).toEqual([1, 3, 5]);
  });

  it('aborts the source and the checks in flight when the consumer stops early', async () => {
    const g = gate();
    let sourceSignal: AbortSignal | undefined;
    const open = (s: AbortSignal) => {
      sourceSignal = s;
      return numbers(100, s);
    };
    const iter = filterParallel(open, g.check, 4);
    const it = iter[Symbol.asyncIterator]();
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    g.waiting.get(1)?.(true);
    expect(await first).toEqual({ done: false, value: 10 });
    await it.return(undefined);
    expect(sourceSignal?.aborted).toBe(true);
    expect(g.aborted.sort()).toEqual([2, 3, 4]);
    expect(g.waiting.size).toBe(0);
  });

  it('ends when the caller signal aborts', async () => {
    const controller = new AbortController();
    const out: number[] = [];
    async function* endless(signal: AbortSignal): AsyncGenerator<number> {
      for (let i = 0; !signal.aborted; i++) {
        yield i;
        await new Promise((r) => setImmediate(r));
      }
    }
    for await (const n of filterParallel(endless, async (n) => n, 2, controller.signal)) {
      out.push(n);
      if (out.length === 5) controller.abort();
    }
    expect(out.length).toBeGreaterThanOrEqual(5);
    expect(out.length).toBeLessThan(10);
  });

  it('ends with the error of a failing source', async () => {
    async function* broken(): AsyncGenerator<number> {
      yield 1;
      throw new Error('source failed');
    }
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const n of filterParallel(broken, async (n) => n, 2)) out.push(n);
      })(),
    ).rejects.toThrow('source failed');
    expect(out).toEqual([1]);
  });

  it('rejects a bad parallelism', async () => {
    const it = filterParallel(
      (s) => numbers(1, s),
      async (n) => n,
      0,
    )[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow(RangeError);
  });
});
