/**
 * Round-trip time of a peer from the base protocol's Ping → Pong, measured on the ping loop the
 * peer runs anyway (geth keeps no such figure; it costs one timestamp per Ping).
 * @module
 */

/** Most Pings awaiting their Pong; the read idle timeout (30 s) ends a peer long before. */
const MAX_OUTSTANDING_PINGS = 4;
/** Weight of a new sample in the smoothed RTT: 1/8, as TCP's SRTT (RFC 6298 §2). */
const SMOOTHING_WEIGHT = 1 / 8;

/** A peer's round-trip time in milliseconds. */
export interface PeerRtt {
  /** The latest Ping → Pong round trip. */
  readonly lastMs: number;
  /** The exponentially smoothed round trip (new samples weigh 1/8, as TCP's SRTT). */
  readonly smoothedMs: number;
  /** How many round trips were measured. */
  readonly samples: number;
}

/**
 * Pairs each Pong with the oldest Ping still unanswered (Pongs come back in order). A Pong with
 * no Ping outstanding (unsolicited, or an answer to a Ping not ours) is ignored; at most
 * {@link MAX_OUTSTANDING_PINGS} send times are kept.
 */
export class RttTracker {
  readonly #sentAt: number[] = [];
  #rtt: PeerRtt | undefined;

  /** The current figures, or undefined before the first Pong. */
  get rtt(): PeerRtt | undefined {
    return this.#rtt;
  }

  /** Records a Ping sent at `now` (ms). */
  pingSent(now: number): void {
    if (this.#sentAt.length < MAX_OUTSTANDING_PINGS) this.#sentAt.push(now);
  }

  /** Records a Pong received at `now` (ms). */
  pongReceived(now: number): void {
    const sent = this.#sentAt.shift();
    if (sent === undefined) return;
    const sample = Math.max(0, now - sent);
    const prev = this.#rtt;
    this.#rtt =
      prev === undefined
        ? { lastMs: sample, smoothedMs: sample, samples: 1 }
        : {
            lastMs: sample,
            smoothedMs: prev.smoothedMs + (sample - prev.smoothedMs) * SMOOTHING_WEIGHT,
            samples: prev.samples + 1,
          };
  }
}
