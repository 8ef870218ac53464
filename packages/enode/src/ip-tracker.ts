/**
 * Predicts this node's external UDP endpoint from what peers say they see (the `To` field of
 * their discv4 Pongs), after go-ethereum's `p2p/netutil/iptrack.go`.
 * @module
 */
import { type Clock, systemClock } from '@ethp2p/base';

/** How long a peer's statement about our endpoint counts (geth `iptrackWindow`). */
export const IPTRACK_WINDOW_MS: number = 5 * 60_000;
/** How long a host we contacted counts as contacted (geth `iptrackContactWindow`). */
export const IPTRACK_CONTACT_WINDOW_MS: number = 10 * 60_000;
/** Distinct peers that must agree before an endpoint is predicted (geth `iptrackMinStatements`). */
export const IPTRACK_MIN_STATEMENTS = 10;
/** Most reporting hosts remembered at once; statements are untrusted input, so memory is capped. */
export const IPTRACK_MAX_HOSTS = 1024;

/** An IP address and port as a peer reported them. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** Tuning for {@link IpTracker}; every field defaults to go-ethereum's value. */
export interface IpTrackerOptions {
  windowMs?: number;
  contactWindowMs?: number;
  minStatements?: number;
  maxHosts?: number;
  clock?: Clock;
}

interface Statement {
  readonly key: string;
  readonly endpoint: Endpoint;
  readonly at: number;
}

/**
 * Endpoint statements by reporting host. Each host counts once (its latest statement); the
 * endpoint named by the most hosts within the window wins once at least `minStatements` agree.
 * Synchronous and single-owner: the LocalNode that holds it is the only caller.
 */
export class IpTracker {
  readonly #windowMs: number;
  readonly #contactWindowMs: number;
  readonly #minStatements: number;
  readonly #maxHosts: number;
  readonly #clock: Clock;
  // Insertion order is age order: an updated host is deleted and re-inserted.
  readonly #statements = new Map<string, Statement>();
  /**
   * Hosts per stated endpoint among `#statements`, kept as statements come and go, so a
   * prediction costs one pass over the distinct endpoints rather than over every host (it is
   * asked twice per Pong).
   */
  readonly #counts = new Map<string, { readonly endpoint: Endpoint; n: number }>();
  readonly #contacts = new Map<string, number>();
  #fullConeEvidenceAt = Number.NEGATIVE_INFINITY;

  constructor(options: IpTrackerOptions = {}) {
    this.#windowMs = options.windowMs ?? IPTRACK_WINDOW_MS;
    this.#contactWindowMs = options.contactWindowMs ?? IPTRACK_CONTACT_WINDOW_MS;
    this.#minStatements = options.minStatements ?? IPTRACK_MIN_STATEMENTS;
    this.#maxHosts = options.maxHosts ?? IPTRACK_MAX_HOSTS;
    this.#clock = options.clock ?? systemClock;
  }

  /** Records that `host` sees us at `endpoint`. */
  addStatement(host: string, endpoint: Endpoint): void {
    const now = this.#clock.now();
    this.#gc(now);
    if (!this.#contacts.has(host)) this.#fullConeEvidenceAt = now;
    this.#forget(host);
    const key = `${endpoint.ip}|${endpoint.port}`;
    this.#statements.set(host, { key, endpoint, at: now });
    const count = this.#counts.get(key);
    if (count === undefined) this.#counts.set(key, { endpoint, n: 1 });
    else count.n++;
    while (this.#statements.size > this.#maxHosts) {
      this.#forget(this.#statements.keys().next().value as string);
    }
  }

  /** Records that we sent a packet to `host` (for full-cone NAT detection). */
  addContact(host: string): void {
    const now = this.#clock.now();
    this.#gc(now);
    this.#contacts.delete(host);
    this.#contacts.set(host, now);
    while (this.#contacts.size > this.#maxHosts) this.#dropOldest(this.#contacts);
  }

  /** The endpoint most hosts agree on, if at least `minStatements` of them do. */
  predictEndpoint(): Endpoint | undefined {
    this.#gc(this.#clock.now());
    // Ties go to the endpoint counted first (geth leaves them to map order).
    let best: { readonly endpoint: Endpoint; n: number } | undefined;
    for (const entry of this.#counts.values()) {
      if (best === undefined || entry.n > best.n) best = entry;
    }
    return best !== undefined && best.n >= this.#minStatements ? best.endpoint : undefined;
  }

  /**
   * Whether we look reachable from hosts we never contacted (a full-cone NAT or no NAT): true
   * when such a statement arrived within the window.
   */
  predictFullConeNat(): boolean {
    return this.#fullConeEvidenceAt > this.#clock.now() - this.#windowMs;
  }

  #gc(now: number): void {
    for (const [host, s] of this.#statements) {
      if (s.at > now - this.#windowMs) break;
      this.#forget(host);
    }
    for (const [host, at] of this.#contacts) {
      if (at > now - this.#contactWindowMs) break;
      this.#contacts.delete(host);
    }
  }

  /** Removes `host`'s statement, if any, and its count. */
  #forget(host: string): void {
    const s = this.#statements.get(host);
    if (s === undefined) return;
    this.#statements.delete(host);
    const count = this.#counts.get(s.key) as { n: number };
    if (--count.n === 0) this.#counts.delete(s.key);
  }

  #dropOldest(map: Map<string, unknown>): void {
    const first = map.keys().next();
    if (first.done !== true) map.delete(first.value);
  }
}
