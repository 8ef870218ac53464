/**
 * One timer for every peer: the per-peer deadlines of a server (each connection's handshake,
 * read and write deadlines, each peer's ping loop) are kept in buckets of `tickMs` and run by a
 * single timer of the underlying clock, armed for the earliest bucket. With a thousand peers
 * that is one armed timer instead of two thousand; a timer costs one small object in a `Set`
 * (a system-clock timer is a `Timeout`, a wrapper and a closure), and scheduling or cancelling
 * one is a `Set` operation. A timer runs at its due time rounded up to the next tick: never
 * early, at most `tickMs` late, which the deadlines it serves (seconds long) do not notice.
 * @module
 */
import { type Clock, checkPositiveMs, type Timer } from '@ethp2p/base';

/** Default bucket width: deadlines run at most this late. */
export const TIMER_TICK_MS = 250;

/** One scheduled callback; cancelling removes it from its bucket. */
class WheelTimer implements Timer {
  readonly #fn: () => void;
  readonly #wheel: TimerWheel;
  #bucket: Set<WheelTimer> | null;

  constructor(fn: () => void, wheel: TimerWheel, bucket: Set<WheelTimer>) {
    this.#fn = fn;
    this.#wheel = wheel;
    this.#bucket = bucket;
  }

  cancel(): void {
    if (this.#bucket === null) return;
    this.#bucket.delete(this);
    this.#bucket = null;
    this.#wheel.settled();
  }

  /** Runs the callback unless cancelled. */
  run(): void {
    if (this.#bucket === null) return;
    this.#bucket = null;
    this.#wheel.settled();
    this.#fn();
  }
}

/**
 * A {@link Clock} whose timers share one timer of `clock`. Owned by one server; `now()` is the
 * underlying clock's.
 */
export class TimerWheel implements Clock {
  readonly #clock: Clock;
  readonly #tickMs: number;
  /** Timers by due tick (due time / tickMs, rounded up). */
  readonly #buckets = new Map<number, Set<WheelTimer>>();
  /** The ticks of `#buckets`, ascending (few: the deadlines span about a minute of ticks). */
  readonly #ticks: number[] = [];
  #armed: { readonly tick: number; readonly timer: Timer } | null = null;
  /** Timers scheduled and neither run nor cancelled. */
  #live = 0;

  /** @throws {RangeError} unless `tickMs` is a positive number of milliseconds */
  constructor(clock: Clock, tickMs: number = TIMER_TICK_MS) {
    this.#clock = clock;
    this.#tickMs = checkPositiveMs('tickMs', tickMs);
  }

  /** Timers waiting to run (cancelled ones are not counted). */
  get pending(): number {
    return this.#live;
  }

  now(): number {
    return this.#clock.now();
  }

  schedule(ms: number, fn: () => void): Timer {
    const tick = Math.ceil((this.#clock.now() + Math.max(0, ms)) / this.#tickMs);
    let bucket = this.#buckets.get(tick);
    if (bucket === undefined) {
      bucket = new Set();
      this.#buckets.set(tick, bucket);
      this.#ticks.splice(insertionIndex(this.#ticks, tick), 0, tick);
    }
    const timer = new WheelTimer(fn, this, bucket);
    bucket.add(timer);
    this.#live++;
    if (this.#armed === null || tick < this.#armed.tick) this.#arm(tick);
    return timer;
  }

  /**
   * @internal A timer ran or was cancelled. With none left, the underlying timer goes too, so an
   * idle wheel holds nothing (and a simulated clock shows no pending timer).
   */
  settled(): void {
    if (--this.#live > 0) return;
    this.#armed?.timer.cancel();
    this.#armed = null;
    this.#buckets.clear();
    this.#ticks.length = 0;
  }

  #arm(tick: number): void {
    this.#armed?.timer.cancel();
    const delay = Math.max(0, tick * this.#tickMs - this.#clock.now());
    this.#armed = { tick, timer: this.#clock.schedule(delay, this.#fire) };
  }

  readonly #fire = (): void => {
    this.#armed = null;
    let failure: { readonly err: unknown } | undefined;
    // Timers scheduled by a running one that are already due run in this same turn.
    for (;;) {
      const tick = this.#ticks[0];
      if (tick === undefined || tick * this.#tickMs > this.#clock.now()) break;
      this.#ticks.shift();
      const bucket = this.#buckets.get(tick);
      this.#buckets.delete(tick);
      for (const timer of bucket ?? []) {
        try {
          timer.run();
        } catch (err) {
          failure ??= { err };
        }
      }
    }
    // A callback may have armed the timer for its own, later, tick.
    const next = this.#ticks[0];
    const armed = this.#armed as { readonly tick: number } | null;
    if (next !== undefined && (armed === null || armed.tick > next)) this.#arm(next);
    // A throwing callback throws from the underlying timer, as it would on its own; the
    // others still ran.
    if (failure !== undefined) throw failure.err;
  };
}

/** Where `tick` goes in the ascending `ticks`. */
function insertionIndex(ticks: readonly number[], tick: number): number {
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ticks[mid] as number) < tick) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
