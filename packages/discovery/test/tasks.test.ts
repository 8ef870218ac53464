import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackTask } from '../src/tasks.ts';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('trackTask', () => {
  it('tracks a task until it settles; a rejecting one is no unhandled rejection', async () => {
    const tasks = new Set<Promise<unknown>>();
    let fail = (_: Error): void => undefined;
    const rejecting = new Promise<void>((_, reject) => {
      fail = reject;
    });
    trackTask(tasks, rejecting);
    trackTask(tasks, Promise.resolve(1));
    expect(tasks.size).toBe(2);
    fail(new Error('task failed'));
    await turn();
    await turn();
    expect(tasks.size).toBe(0);
    expect(unhandled).toEqual([]);
    // The owner still sees the failure when it awaits the task.
    await expect(rejecting).rejects.toThrow('task failed');
  });
});
