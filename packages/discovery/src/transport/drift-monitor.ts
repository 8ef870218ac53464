/**
 * Clock-drift suspicion from evidence about time: signed packets from peers that arrive already
 * expired. Every discv4 request and reply carries an expiration about 20 s ahead of its sender's
 * clock (geth `v4wire.Expired`), so a packet that is already expired when it arrives says our
 * clock is ahead of the sender's by more than that. Many in a row, with no fresh packet between
 * them, say it is our clock that is off. Reply timeouts alone say nothing about time (an offline
 * node sees nothing but timeouts) and are not counted here; geth too only warns after an NTP query
 * confirms the drift (`p2p/discover/ntp.go`), which we do not make.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { NTP_FAILURE_THRESHOLD, NTP_WARNING_COOLDOWN_MS } from './constants.ts';

/**
 * Counts consecutive expired packets; at {@link NTP_FAILURE_THRESHOLD} it warns, at most once per
 * {@link NTP_WARNING_COOLDOWN_MS}, then counts again from zero. A packet that is not expired
 * resets the count.
 */
export class DriftMonitor {
  readonly #logger: Logger;
  #consecutive = 0;
  #lastWarnAt: number | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Expired packets received since the last fresh one. */
  get consecutiveExpired(): number {
    return this.#consecutive;
  }

  /** A packet arrived before its expiration: the clocks agree. */
  fresh(): void {
    this.#consecutive = 0;
  }

  /** A packet arrived at `now` (Unix ms) after its expiration. */
  expired(now: number): void {
    this.#consecutive++;
    if (this.#consecutive < NTP_FAILURE_THRESHOLD) return;
    const expiredPackets = this.#consecutive;
    this.#consecutive = 0;
    const last = this.#lastWarnAt;
    // A clock that went backwards since the last warning does not hold the next one back.
    if (last !== undefined && now >= last && now - last < NTP_WARNING_COOLDOWN_MS) return;
    this.#lastWarnAt = now;
    this.#logger.warn('packets from peers arrive already expired, the system clock may be off', {
      expiredPackets,
    });
  }
}
