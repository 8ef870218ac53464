/**
 * Background task tracking (geth's `sync.WaitGroup` around a component's goroutines): a component
 * hands every task it does not await to its {@link TaskGroup} and awaits {@link TaskGroup.wait}
 * in `stop()`, so nothing it started outlives it.
 * @module
 */

/** Options of a {@link TaskGroup}. */
export interface TaskGroupOptions {
  /**
   * Called with the reason of each task that rejects. Without it a rejection is observed and
   * dropped: tasks are expected to handle their own errors, and a rejecting task never becomes an
   * unhandled rejection.
   */
  onError?: (err: unknown) => void;
}

/**
 * A set of running background tasks. {@link spawn} tracks a task until it settles; {@link wait}
 * resolves once every task has settled, including tasks spawned while it waits. Owned by one
 * component; not shared between components.
 */
export class TaskGroup {
  readonly #tasks = new Set<Promise<unknown>>();
  readonly #onError: ((err: unknown) => void) | undefined;

  constructor(options: TaskGroupOptions = {}) {
    this.#onError = options.onError;
  }

  /** How many tasks are still running. */
  get size(): number {
    return this.#tasks.size;
  }

  /**
   * Tracks `task` until it settles and returns it unchanged, so a caller may still await it.
   * Its rejection is handled by the group (see {@link TaskGroupOptions.onError}).
   */
  spawn<T>(task: Promise<T>): Promise<T> {
    this.#tasks.add(task);
    task.then(
      () => {
        this.#tasks.delete(task);
      },
      (err: unknown) => {
        this.#tasks.delete(task);
        this.#onError?.(err);
      },
    );
    return task;
  }

  /** Resolves once no task is running; never rejects. */
  async wait(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }
}
