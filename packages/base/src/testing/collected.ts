/**
 * Whether an object is garbage: for tests asserting that a component does not keep what it is
 * done with (a message payload, a closed connection's buffers).
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { nextTurn } from './wait-for.ts';

let v8Gc: (() => void) | undefined;

/**
 * A full garbage collection (V8's `gc()`, exposed on first use, so neither tests nor benches
 * need the `--expose-gc` flag).
 */
export function fullGc(): void {
  if (v8Gc === undefined) {
    setFlagsFromString('--expose-gc');
    v8Gc = runInNewContext('gc') as () => void;
  }
  v8Gc();
}

/**
 * Whether the target of `ref` has been collected after a full garbage collection. Waits one
 * macrotask turn first: a `WeakRef` keeps its target alive until the end of the job that made
 * or dereferenced it.
 * @example
 * ```ts
 * const ref = new WeakRef(msg.data);
 * // ... the component handles msg and waits for the next one ...
 * expect(await isCollected(ref)).toBe(true);
 * ```
 */
export async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  await nextTurn();
  fullGc();
  return ref.deref() === undefined;
}
