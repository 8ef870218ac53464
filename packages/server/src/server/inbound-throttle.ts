/**
 * The inbound throttle: a non-LAN IP may start at most one inbound connection per window
 * (geth `Server.checkInboundConn`, `inboundThrottleTime` = 30 s). LAN addresses are exempt.
 * @module
 */
import { type Clock, checkPositiveInt } from '@ethp2p/base';
import { ipToBytes, normalizeIp } from '@ethp2p/enode';

/** Default number of IPs remembered; past it the oldest entry is forgotten early. */
export const INBOUND_THROTTLE_MAX_ENTRIES = 10_000;

/**
 * Whether `ip` is a local-network address: unspecified, loopback, RFC 1918 private, IPv6 unique
 * local (fc00::/7) or link-local (169.254.0.0/16, fe80::/10) (geth `netutil.IsLAN`). False for
 * text that is not an IP address.
 */
export function isLanIp(ip: string): boolean {
  const b = ipToBytes(ip);
  if (b === undefined) return false;
  const [b0 = 0, b1 = 0] = b;
  if (b.length === 4) {
    return (
      b0 === 0 ||
      b0 === 127 ||
      b0 === 10 ||
      (b0 === 172 && (b1 & 0xf0) === 16) ||
      (b0 === 192 && b1 === 168) ||
      (b0 === 169 && b1 === 254)
    );
  }
  const loopback = b.subarray(0, 15).every((x) => x === 0) && (b[15] === 1 || b[15] === 0);
  return loopback || (b0 & 0xfe) === 0xfc || (b0 === 0xfe && (b1 & 0xc0) === 0x80);
}

/** Options of {@link InboundThrottle}. */
export interface InboundThrottleOptions {
  readonly clock: Clock;
  /** How long an IP is refused after an attempt, in ms. */
  readonly windowMs: number;
  /** Most IPs remembered at once (default {@link INBOUND_THROTTLE_MAX_ENTRIES}). */
  readonly maxEntries?: number;
}

/**
 * Remembers when each non-LAN IP last attempted a connection. Memory is bounded: entries
 * expire lazily (no timers), and past `maxEntries` the oldest is dropped. Owned by the
 * listener; synchronous.
 */
export class InboundThrottle {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  /** IP → expiry time. Every entry gets the same window, so insertion order is expiry order. */
  readonly #until = new Map<string, number>();

  /** @throws {RangeError} for a negative window or a non-positive size */
  constructor(options: InboundThrottleOptions) {
    const { windowMs, maxEntries = INBOUND_THROTTLE_MAX_ENTRIES } = options;
    if (!Number.isFinite(windowMs) || windowMs < 0) {
      throw new RangeError(`windowMs: expected a non-negative number, got ${windowMs}`);
    }
    checkPositiveInt('maxEntries', maxEntries);
    this.#clock = options.clock;
    this.#windowMs = windowMs;
    this.#maxEntries = maxEntries;
  }

  /** How many IPs are remembered now (expired entries are dropped first). */
  get size(): number {
    this.#expire(this.#clock.now());
    return this.#until.size;
  }

  /**
   * Records an attempt from `ip` and says whether it may proceed: false if the same non-LAN IP
   * attempted within the window. LAN addresses always pass and are not recorded.
   */
  allow(ip: string): boolean {
    const key = normalizeIp(ip) ?? ip;
    if (isLanIp(key)) return true;
    const now = this.#clock.now();
    this.#expire(now);
    if (this.#until.has(key)) return false;
    if (this.#windowMs === 0) return true;
    if (this.#until.size >= this.#maxEntries) {
      const oldest = this.#until.keys().next();
      if (oldest.done !== true) this.#until.delete(oldest.value);
    }
    this.#until.set(key, now + this.#windowMs);
    return true;
  }

  #expire(now: number): void {
    for (const [ip, until] of this.#until) {
      if (until > now) break;
      this.#until.delete(ip);
    }
  }
}
