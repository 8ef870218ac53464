/**
 * A bounded-parallel async filter over an async iterable (geth `enode.AsyncFilter`).
 * @module
 */

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
  if (!Number.isSafeInteger(parallel) || parallel < 1) {
    throw new RangeError(`parallel: expected a positive integer, got ${String(parallel)}`);
  }
  const controller = new AbortController();
  const inner =
    signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  const source = open(inner)[Symbol.asyncIterator]();
  const running = new Set<Promise<void>>();
  const ready: R[] = [];
  let pulling: Promise<void> | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const start = (item: T): void => {
    const task: Promise<void> = check(item, inner)
      .then(
        (result) => {
          if (result !== undefined) ready.push(result);
        },
        () => undefined,
      )
      .then(() => {
        running.delete(task);
      });
    running.add(task);
  };
  try {
    for (;;) {
      while (ready.length > 0) yield ready.shift() as R;
      if (!done && pulling === undefined && running.size < parallel) {
        pulling = source.next().then(
          (next) => {
            pulling = undefined;
            if (next.done === true) done = true;
            else start(next.value);
          },
          (error: unknown) => {
            pulling = undefined;
            done = true;
            failure = { error };
          },
        );
      }
      if (done && pulling === undefined && running.size === 0) {
        if (failure !== undefined) throw failure.error;
        return;
      }
      await Promise.race([...running, ...(pulling === undefined ? [] : [pulling])]);
    }
  } finally {
    controller.abort();
    await Promise.allSettled([...running, ...(pulling === undefined ? [] : [pulling])]);
    if (!done) await source.return?.();
  }
}
