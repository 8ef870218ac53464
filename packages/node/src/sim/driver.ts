/**
 * Moves virtual time: from one pending timer of the clock to the next, letting the promise
 * continuations each one wakes run before the next (one event-loop turn per instant).
 * @module
 */
import type { SimulatedClock } from '@ethp2p/base';

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
    const next = clock.nextAt() ?? untilMs;
    const to = Math.min(Math.max(next, clock.now()), untilMs);
    clock.advance(to - clock.now());
    await nextInstant();
    turns++;
    onTurn();
  }
  return turns;
}

/** Resolves after the microtasks queued so far (and those they queue) have run. */
function nextInstant(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
