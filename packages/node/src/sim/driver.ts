/**
 * Moves virtual time: from one pending timer of the clock to the next, letting the promise
 * continuations each one wakes run before the next (one event-loop turn per instant).
 * @module
 */
import type { SimulatedClock } from '@ethp2p/base';

/** Virtual time between steps when the clock cannot tell its next timer. */
const BLIND_STEP_MS = 10;

/**
 * Runs the clock until `untilMs` or until `done()` holds (checked at every instant), calling
 * `onTurn` after each instant. Returns the instants run.
 */
export async function drive(
  clock: SimulatedClock,
  untilMs: number,
  done: () => boolean = () => false,
  onTurn: () => void = () => {},
): Promise<number> {
  let turns = 0;
  while (clock.now() < untilMs && !done()) {
    const next = nextTimer(clock) ?? untilMs;
    const to = Math.min(Math.max(next, clock.now()), untilMs);
    clock.advance(to - clock.now());
    await nextInstant();
    turns++;
    onTurn();
  }
  return turns;
}

/** When the clock's next timer is due, if it can tell (a clock with `nextAt`). */
function nextTimer(clock: SimulatedClock): number | undefined {
  const withNext = clock as SimulatedClock & { nextAt?: () => number | undefined };
  if (typeof withNext.nextAt === 'function') return withNext.nextAt();
  return clock.now() + BLIND_STEP_MS;
}

/** Resolves after the microtasks queued so far (and those they queue) have run. */
function nextInstant(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
