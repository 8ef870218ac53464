/**
 * Established sessions: keys, the verified remote node and the nonce counter, per (node ID,
 * endpoint), in an LRU with a cap, an idle expiry and a per-IP limit.
 * @module
 */
import type { Random } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { NONCE_BYTES } from '../wire/constants.ts';
import { type Endpoint, sessionKey } from './keys.ts';
import { type BoundedCacheOptions, IpLimitedMap } from './per-ip.ts';

/** One session with a remote node. */
export interface Session {
  /** The key we encrypt with. */
  readonly writeKey: Uint8Array;
  /** The key the remote encrypts with. */
  readonly readKey: Uint8Array;
  /** The remote node, its record verified in the handshake. */
  readonly node: Node;
  readonly endpoint: Endpoint;
}

interface Entry {
  readonly session: Session;
  nonceCounter: number;
  lastUsed: number;
}

/** Options of {@link SessionCache}. */
export interface SessionCacheOptions extends BoundedCacheOptions {
  /** Fills the random part of nonces. */
  readonly random: Random;
}

/** The outcome of {@link SessionCache.store}. */
export type StoreResult = 'stored' | 'ip-limit';

/**
 * The session cache. Owned by the session codec, synchronous. Nonces are a 32-bit per-session
 * counter followed by 8 random bytes (geth `generateNonce`), so a nonce never repeats under a
 * key even if the random source did.
 */
export class SessionCache {
  readonly #entries: IpLimitedMap<Entry>;
  readonly #options: SessionCacheOptions;

  constructor(options: SessionCacheOptions) {
    this.#options = options;
    this.#entries = new IpLimitedMap(options);
  }

  /** How many sessions are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /** The live session with `id` at `endpoint`, refreshed as most recently used. */
  get(id: Uint8Array, endpoint: Endpoint): Session | undefined {
    const key = sessionKey(id, endpoint);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.#options.clock.now();
    if (now - entry.lastUsed >= this.#options.timeoutMs) {
      this.#entries.delete(key);
      return undefined;
    }
    entry.lastUsed = now;
    this.#entries.set(key, endpoint.ip, entry);
    return entry.session;
  }

  /**
   * Stores a new session, replacing any for the same node and endpoint; evicts the least
   * recently used one beyond the capacity. Refused when the IP already has its share.
   */
  store(session: Session): StoreResult {
    const key = sessionKey(session.node.id, session.endpoint);
    const ip = session.endpoint.ip;
    if (this.#entries.get(key) === undefined && !this.#entries.allows(ip)) return 'ip-limit';
    this.#entries.set(key, ip, { session, nonceCounter: 0, lastUsed: this.#options.clock.now() });
    for (const [oldest] of this.#entries.entries()) {
      if (this.#entries.size <= this.#options.capacity) break;
      this.#entries.delete(oldest);
    }
    return 'stored';
  }

  /** Forgets the session with `id` at `endpoint` (after it failed to decrypt, for example). */
  delete(id: Uint8Array, endpoint: Endpoint): void {
    this.#entries.delete(sessionKey(id, endpoint));
  }

  /** A fresh 12-byte nonce for a message under `session`'s write key. */
  nextNonce(session: Session): Uint8Array {
    const entry = this.#entries.get(sessionKey(session.node.id, session.endpoint));
    let counter = 0;
    if (entry !== undefined) {
      entry.nonceCounter = (entry.nonceCounter + 1) >>> 0;
      counter = entry.nonceCounter;
    }
    const nonce = new Uint8Array(NONCE_BYTES);
    new DataView(nonce.buffer).setUint32(0, counter);
    nonce.set(this.#options.random.bytes(NONCE_BYTES - 4), 4);
    return nonce;
  }
}
