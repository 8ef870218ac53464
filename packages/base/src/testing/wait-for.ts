/**
 * The one way tests wait for a condition: re-checked on events, on a simulated clock, or after
 * each turn of the event loop, and always bounded. Never a sleep on the real clock.
 * @module
 */
import type { SimulatedClock } from '../clock.ts';

/** Anything with `on`/`off` for event names: eventemitter3, Node's EventEmitter, a `Pick` of one. */
export interface Subscribable {
  on(event: never, listener: () => void): unknown;
  off(event: never, listener: () => void): unknown;
}

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Described in the error when the wait gives up (`"timed out waiting until <what>"`). */
  what?: string;
  /**
   * Re-check whenever one of `events` fires on one of `emitters` (and once at the start).
   * Without it (and without `clock`) the condition is re-checked after every macrotask turn,
   * which suits loopback I/O with no event to wait on.
   */
  on?: { emitters: readonly Subscribable[]; events: readonly string[] };
  /**
   * Drive a simulated clock: advance it `stepMs` at a time, letting I/O and promise chains run
   * after each step, until the condition holds or `maxMs` of simulated time has passed.
   */
  clock?: { clock: SimulatedClock; stepMs: number; maxMs: number };
  /** Gives up when it aborts. Default: `AbortSignal.timeout(10_000)`, a failsafe for a broken test. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** One macrotask turn: pending I/O callbacks and every queued promise reaction run first. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Resolves once `condition()` holds (it may be async).
 * @throws {Error} `"timed out waiting until <what>"` when the signal aborts or the simulated
 * time budget runs out first
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const signal = options.signal ?? AbortSignal.timeout(DEFAULT_TIMEOUT_MS);
  const fail = (): Error => new Error(`timed out waiting until ${options.what ?? 'condition'}`);
  if (options.on !== undefined) return onEvents(condition, options.on, signal, fail);
  const sim = options.clock;
  let waitedMs = 0;
  while (!(await condition())) {
    if (signal.aborted) throw fail();
    if (sim !== undefined) {
      if (waitedMs >= sim.maxMs) throw fail();
      sim.clock.advance(sim.stepMs);
      waitedMs += sim.stepMs;
      for (let i = 0; i < 3; i++) await nextTurn();
    } else {
      await nextTurn();
    }
  }
}

async function onEvents(
  condition: () => boolean | Promise<boolean>,
  on: NonNullable<WaitForOptions['on']>,
  signal: AbortSignal,
  fail: () => Error,
): Promise<void> {
  // Subscribe before the first check, so an event emitted right after the call is not missed.
  await new Promise<void>((resolve, reject) => {
    let checking = false;
    let again = false;
    let done = false;
    const check = async (): Promise<void> => {
      if (done) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await condition()) {
            finish(resolve);
            return;
          }
        } while (again && !done);
      } catch (err) {
        finish(() => reject(err));
      } finally {
        checking = false;
      }
    };
    const onEvent = (): void => {
      void check();
    };
    const onAbort = (): void => finish(() => reject(fail()));
    const finish = (then: () => void): void => {
      if (done) return;
      done = true;
      for (const e of on.emitters) for (const n of on.events) e.off(n as never, onEvent);
      signal.removeEventListener('abort', onAbort);
      then();
    };
    for (const e of on.emitters) for (const n of on.events) e.on(n as never, onEvent);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    void check();
  });
}
