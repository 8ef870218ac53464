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

/**
 * Runs every instant of the clock before `endMs` (one event-loop turn each, as {@link drive}),
 * leaving time at the last instant run, until `stop()` holds. The continuations queued before the
 * call run first (work started just before, such as a lookup, sends at the current time). Returns
 * the instants run.
 */
export async function driveBefore(
  clock: SimulatedClock,
  endMs: number,
  stop: () => boolean,
): Promise<number> {
  let turns = 0;
  await nextInstant();
  for (let next = clock.nextAt(); next !== undefined && next < endMs && !stop(); ) {
    clock.advance(Math.max(0, next - clock.now()));
    await nextInstant();
    turns++;
    next = clock.nextAt();
  }
  return turns;
}
