import { describe, expect, it } from 'vitest';
import { TaskGroup } from '../src/index.ts';

function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('TaskGroup', () => {
  it('tracks tasks until they settle and returns each task unchanged', async () => {
    const group = new TaskGroup();
    const a = deferred<number>();
    const tracked = group.spawn(a.promise);
    expect(tracked).toBe(a.promise);
    expect(group.size).toBe(1);
    a.resolve(7);
    await expect(tracked).resolves.toBe(7);
    expect(group.size).toBe(0);
  });

  it('wait() resolves only after every task, including ones spawned while waiting', async () => {
    const group = new TaskGroup();
    const first = deferred();
    const second = deferred();
    void group.spawn(first.promise.then(() => void group.spawn(second.promise)));
    let waited = false;
    const waiting = group.wait().then(() => {
      waited = true;
    });
    first.resolve();
    await first.promise;
    await new Promise<void>((r) => setImmediate(r));
    expect(waited).toBe(false);
    expect(group.size).toBe(1);
    second.resolve();
    await waiting;
    expect(group.size).toBe(0);
  });

  it('observes rejections: none is unhandled, each reaches onError, wait() still resolves', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const errors: unknown[] = [];
      const quiet = new TaskGroup();
      const loud = new TaskGroup({ onError: (err) => errors.push(err) });
      void quiet.spawn(Promise.reject(new Error('quiet')));
      void loud.spawn(Promise.reject(new Error('loud')));
      await quiet.wait();
      await loud.wait();
      await new Promise<void>((r) => setImmediate(r));
      expect(errors.map((e) => (e as Error).message)).toEqual(['loud']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('wait() on an empty group resolves at once', async () => {
    await expect(new TaskGroup().wait()).resolves.toBeUndefined();
  });
});
