/**
 * Counting and reporting failed writes (a full disk while running): every failure is counted,
 * and a warning is logged for the first one and then at most once per interval, with how many
 * were not logged since. Persistence is best effort, as in go-ethereum, whose callers ignore the
 * node database's write errors: the node keeps serving from memory.
 * @module
 */
import type { Clock, Logger } from '@ethp2p/base';
import { describe } from './backend.ts';

/** Shortest time between two "write failed" warnings (on the injected clock). */
export const WRITE_FAILURE_LOG_INTERVAL_MS = 60_000;

/** The failed-write counter of one database, owned by it. */
export class WriteFailures {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #path: string | undefined;
  #count = 0;
  #unlogged = 0;
  #lastLogMs: number | undefined;

  constructor(clock: Clock, logger: Logger, path: string | undefined) {
    this.#clock = clock;
    this.#logger = logger;
    this.#path = path;
  }

  /** Failed writes so far. */
  get count(): number {
    return this.#count;
  }

  /** Counts a failed write of `what` and logs it unless a warning was logged within the interval. */
  record(what: string, err: unknown): void {
    this.#count++;
    const now = this.#clock.now();
    if (this.#lastLogMs !== undefined && now - this.#lastLogMs < WRITE_FAILURE_LOG_INTERVAL_MS) {
      this.#unlogged++;
      return;
    }
    this.#logger.warn('node database write failed; running on without saving it', {
      path: this.#path ?? ':memory:',
      write: what,
      error: describe(err),
      failures: this.#count,
      unlogged: this.#unlogged,
    });
    this.#lastLogMs = now;
    this.#unlogged = 0;
  }
}
