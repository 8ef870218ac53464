/**
 * A periodic background task on an injected clock that never overlaps itself: the next tick is
 * armed when a tick fires, and a tick that finds the previous run still going skips its run.
 * @module
 */
import type { Clock, Logger, Timer } from '@ethp2p/base';
import { describe } from './backend.ts';

/** Options for {@link PeriodicTask}. */
export interface PeriodicTaskOptions {
  clock: Clock;
  intervalMs: number;
  logger: Logger;
  /** Name used in log lines. */
  name: string;
  /** One run of the task. A rejection is logged as a warning and the schedule continues. */
  run: () => Promise<void>;
}

/**
 * Runs `run` every `intervalMs` once started. Owned by one component; `stop()` cancels the timer
 * and waits for a run in progress, after which nothing is scheduled and `start()` is a no-op.
 */
export class PeriodicTask {
  readonly #opts: PeriodicTaskOptions;
  #timer: Timer | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(opts: PeriodicTaskOptions) {
    this.#opts = opts;
  }

  /** Whether the task has been started (and not stopped). */
  get started(): boolean {
    return this.#timer !== undefined;
  }

  /** Arms the first tick `intervalMs` from now. Idempotent. */
  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#arm();
  }

  /** Resolves once no run is in progress. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Cancels the timer and waits for a run in progress. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.idle();
  }

  #arm(): void {
    this.#timer = this.#opts.clock.schedule(this.#opts.intervalMs, () => this.#tick());
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#arm();
    if (this.#running !== undefined) {
      this.#opts.logger.debug(`${this.#opts.name} still running, skipping a cycle`);
      return;
    }
    this.#running = this.#runOnce();
  }

  async #runOnce(): Promise<void> {
    try {
      await this.#opts.run();
    } catch (err) {
      this.#opts.logger.warn(`${this.#opts.name} failed`, { error: describe(err) });
    } finally {
      this.#running = undefined;
    }
  }
}
