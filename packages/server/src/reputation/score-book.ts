/**
 * Scores by key (a node ID in hex, or an IP), decaying toward 0 on the injected clock. Decay is
 * computed when a score is read or changed, so no timer runs.
 * @module
 */
import {
  DEFAULT_REPUTATION,
  MAX_REPUTATION,
  MAX_TRACKED_SCORES,
  REPUTATION_RECOVERY_PER_SECOND,
} from './constants.ts';

interface Entry {
  score: number;
  /** Clock time of the score, ms. */
  at: number;
}

/**
 * A bounded map of scores. Past `max` keys the least recently changed one is forgotten (it
 * reads as 0 again), so a stream of new keys cannot grow it.
 */
export class ScoreBook {
  readonly #max: number;
  /** In order of last change, oldest first. */
  readonly #entries = new Map<string, Entry>();

  constructor(max: number = MAX_TRACKED_SCORES) {
    this.#max = max;
  }

  /** How many keys have a score other than 0. */
  get size(): number {
    return this.#entries.size;
  }

  /** The score of `key` at `now`. */
  get(key: string, now: number): number {
    const entry = this.#entries.get(key);
    return entry === undefined ? DEFAULT_REPUTATION : decayed(entry, now);
  }

  /**
   * Adds `delta` to `key`'s score at `now`, clamped to [`floor`, `MAX_REPUTATION`]; returns the
   * new score. A score back at 0 is forgotten.
   */
  add(key: string, delta: number, now: number, floor: number = -Infinity): number {
    const current = this.get(key, now);
    const lowest = Math.min(floor, current);
    const score = Math.min(MAX_REPUTATION, Math.max(lowest, current + delta));
    this.#entries.delete(key);
    if (score !== DEFAULT_REPUTATION) this.#entries.set(key, { score, at: now });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break;
      this.#entries.delete(oldest);
    }
    return score;
  }

  /** Forgets `key`'s score. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Every key with a score other than 0 at `now`, and its score. */
  *entries(now: number): IterableIterator<[string, number]> {
    for (const [key, entry] of this.#entries) {
      const score = decayed(entry, now);
      if (score !== DEFAULT_REPUTATION) yield [key, score];
    }
  }
}

function decayed(entry: Entry, now: number): number {
  const recovered = (Math.max(0, now - entry.at) / 1000) * REPUTATION_RECOVERY_PER_SECOND;
  if (entry.score < 0) return Math.min(0, entry.score + recovered);
  return Math.max(0, entry.score - recovered);
}
