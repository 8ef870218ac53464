/**
 * Background task tracking shared by the service and the table: a component keeps its tasks in a
 * set and awaits them in `stop()`.
 * @module
 */

/**
 * Adds `task` to `tasks` and removes it once it settles. A rejection is only observed, never
 * rethrown: the owner awaits the set with `Promise.allSettled`, and a rejecting task must not
 * become an unhandled rejection (which `task.finally(...)` would create).
 */
export function trackTask(tasks: Set<Promise<unknown>>, task: Promise<unknown>): void {
  tasks.add(task);
  const remove = (): void => {
    tasks.delete(task);
  };
  task.then(remove, remove);
}
