/**
 * The limit on ping-backs (our Pings to unbonded pingers): one per (ID, IP) at a time and at most
 * `config.maxPingBacks` in all, so a replayed Ping costs no more than one signature and a Ping
 * flood cannot fill the reply matcher our own requests need. geth has no such limit.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/**
 * The `id|ip` keys of the ping-backs waiting for their Pong. Owned by the receive path of one
 * service; synchronous.
 */
export class PingBackLimiter {
  readonly #limit: number;
  readonly #pending = new Set<string>();

  /** @throws {RangeError} unless `limit` is a positive integer */
  constructor(limit: number) {
    this.#limit = checkPositiveInt('limit', limit);
  }

  /** How many ping-backs are pending. */
  get size(): number {
    return this.#pending.size;
  }

  /** Whether a ping-back to `key` is pending. */
  isPending(key: string): boolean {
    return this.#pending.has(key);
  }

  /**
   * Claims a ping-back to `key` (`<id hex>|<ip>`): `false`, claiming nothing, when one to `key`
   * is already pending or the limit is reached. A `true` must be followed by {@link release}.
   */
  tryAcquire(key: string): boolean {
    if (this.#pending.has(key) || this.#pending.size >= this.#limit) return false;
    this.#pending.add(key);
    return true;
  }

  /** Ends the ping-back to `key` claimed by {@link tryAcquire}. */
  release(key: string): void {
    this.#pending.delete(key);
  }
}
