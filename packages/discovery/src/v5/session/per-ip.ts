/**
 * A count per IP with a cap, for the per-IP limits of sessions and challenges.
 * @module
 */

/** How many entries each IP holds. Owned by one cache, synchronous. */
export class PerIpCount {
  readonly #counts = new Map<string, number>();
  readonly #limit: number;
  readonly #exempt: (ip: string) => boolean;

  constructor(limit: number, exempt: (ip: string) => boolean) {
    this.#limit = limit;
    this.#exempt = exempt;
  }

  /** Whether one more entry for `ip` stays within the limit. */
  allows(ip: string): boolean {
    return this.#exempt(ip) || (this.#counts.get(ip) ?? 0) < this.#limit;
  }

  add(ip: string): void {
    this.#counts.set(ip, (this.#counts.get(ip) ?? 0) + 1);
  }

  remove(ip: string): void {
    const n = (this.#counts.get(ip) ?? 0) - 1;
    if (n > 0) this.#counts.set(ip, n);
    else this.#counts.delete(ip);
  }
}
