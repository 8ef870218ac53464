/**
 * A bounded-parallel async filter over an async iterable (geth `enode.AsyncFilter`).
 * @module
 */
import { checkPositiveInt, TaskGroup } from '@ethp2p/base';

/**
 * Yields `check(item)` for the items of `open(signal)` whose check gives a value, running at
 * most `parallel` checks at once; results come in completion order. The source is opened with a
 * signal that aborts when the consumer stops early (or `signal` aborts), which also aborts the
 * checks in flight; they are awaited before the iteration ends. Checks that throw count as
 * misses. A failing source ends the iteration with its error once the checks have settled.
 * @throws {RangeError} unless `parallel` is a positive integer
 */
export async function* filterParallel<T, R>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  check: (item: T, signal: AbortSignal) => Promise<R | undefined>,
  parallel: number,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  checkPositiveInt('parallel', parallel);
  const controller = new AbortController();
  const inner =
    signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  const source = open(inner)[Symbol.asyncIterator]();
  // The checks in flight and the pending pull; none of them rejects.
  const tasks = new TaskGroup();
  const ready: R[] = [];
  let pulling = false;
  let done = false;
  let failure: { error: unknown } | undefined;
  // Called once a task has left the group, so `tasks.size` is current when the loop wakes.
  let wake: () => void = () => undefined;
  const spawn = (task: Promise<void>): void => {
    void tasks.spawn(task).then(() => wake());
  };
  const start = (item: T): void => {
    spawn(
      check(item, inner).then(
        (result) => {
          if (result !== undefined) ready.push(result);
        },
        () => undefined,
      ),
    );
  };
  try {
    for (;;) {
      while (ready.length > 0) yield ready.shift() as R;
      const checks = tasks.size - (pulling ? 1 : 0);
      if (!done && !pulling && checks < parallel) {
        pulling = true;
        spawn(
          source.next().then(
            (next) => {
              pulling = false;
              if (next.done === true) done = true;
              else start(next.value);
            },
            (error: unknown) => {
              pulling = false;
              done = true;
              failure = { error };
            },
          ),
        );
      }
      if (done && !pulling && tasks.size === 0) {
        if (failure !== undefined) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    controller.abort();
    await tasks.wait();
    if (!done) await source.return?.();
  }
}
