/**
 * Established sessions: keys, the verified remote node and the nonce counter, per (node ID,
 * endpoint), in an LRU with a cap, an idle expiry and a per-IP limit.
 * @module
 */
import type { Clock, Random } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { NONCE_BYTES } from '../wire/constants.ts';
import { type Endpoint, sessionKey } from './keys.ts';
import { PerIpCount } from './per-ip.ts';

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
export interface SessionCacheOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly capacity: number;
  readonly timeoutMs: number;
  readonly maxPerIp: number;
  /** IPs the per-IP limit does not apply to. */
  readonly exemptIp: (ip: string) => boolean;
}

/** The outcome of {@link SessionCache.store}. */
export type StoreResult = 'stored' | 'ip-limit';

/**
 * The session cache. Owned by the session codec, synchronous. Nonces are a 32-bit per-session
 * counter followed by 8 random bytes (geth `generateNonce`), so a nonce never repeats under a
 * key even if the random source did.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #perIp: PerIpCount;
  readonly #options: SessionCacheOptions;

  constructor(options: SessionCacheOptions) {
    this.#options = options;
    this.#perIp = new PerIpCount(options.maxPerIp, options.exemptIp);
  }

  /** How many sessions are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /** The live session with `id` at `endpoint`, refreshed as most recently used. */
  get(id: Uint8Array, endpoint: Endpoint): Session | undefined {
    const key = sessionKey(id, endpoint);
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    entry.lastUsed = this.#options.clock.now();
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.session;
  }

  /**
   * Stores a new session, replacing any for the same node and endpoint; evicts the least
   * recently used one beyond the capacity. Refused when the IP already has its share.
   */
  store(session: Session): StoreResult {
    const key = sessionKey(session.node.id, session.endpoint);
    const old = this.#entries.get(key);
    if (old === undefined && !this.#perIp.allows(session.endpoint.ip)) return 'ip-limit';
    if (old !== undefined) this.#delete(key, old);
    this.#entries.set(key, { session, nonceCounter: 0, lastUsed: this.#options.clock.now() });
    this.#perIp.add(session.endpoint.ip);
    while (this.#entries.size > this.#options.capacity) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#delete(oldestKey, oldest);
    }
    return 'stored';
  }

  /** Forgets the session with `id` at `endpoint` (after it failed to decrypt, for example). */
  delete(id: Uint8Array, endpoint: Endpoint): void {
    const key = sessionKey(id, endpoint);
    const entry = this.#entries.get(key);
    if (entry !== undefined) this.#delete(key, entry);
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

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#options.clock.now() - entry.lastUsed >= this.#options.timeoutMs) {
      this.#delete(key, entry);
      return undefined;
    }
    return entry;
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#perIp.remove(entry.session.endpoint.ip);
  }
}
