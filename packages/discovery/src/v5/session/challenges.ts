/**
 * WHOAREYOU challenges we sent and wait to see answered by a handshake, per (node ID, endpoint):
 * capped in total and per IP, and valid for `HANDSHAKE_TIMEOUT_MS`.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import { type Endpoint, sessionKey } from './keys.ts';
import { type BoundedCacheOptions, IpLimitedMap } from './per-ip.ts';

/** A challenge we sent. */
export interface Challenge {
  /** The unmasked WHOAREYOU header: the handshake's challenge-data. */
  readonly challengeData: Uint8Array;
  /** The record we knew of the challenged node (its seq went into the WHOAREYOU), if any. */
  readonly node: Node | undefined;
  readonly sentAt: number;
}

/** The outcome of {@link ChallengeStore.check}. */
export type ChallengeAddResult = 'added' | 'pending' | 'full' | 'ip-limit';

/** Pending challenges. Owned by the session codec, synchronous. */
export class ChallengeStore {
  readonly #entries: IpLimitedMap<Challenge>;
  readonly #options: BoundedCacheOptions;

  constructor(options: BoundedCacheOptions) {
    this.#options = options;
    this.#entries = new IpLimitedMap(options);
  }

  /** How many challenges are pending. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether a challenge to `id` at `endpoint` may be added now: `pending` if one is already
   * waiting (take it to replace it), `full` or `ip-limit` past the caps.
   */
  check(id: Uint8Array, endpoint: Endpoint): ChallengeAddResult {
    this.#expire();
    if (this.#entries.get(sessionKey(id, endpoint)) !== undefined) return 'pending';
    if (this.#entries.size >= this.#options.capacity) return 'full';
    if (!this.#entries.allows(endpoint.ip)) return 'ip-limit';
    return 'added';
  }

  /** Records a challenge sent to `id` at `endpoint`; call after {@link check} said `added`. */
  add(id: Uint8Array, endpoint: Endpoint, challengeData: Uint8Array, node: Node | undefined): void {
    const challenge = { challengeData, node, sentAt: this.#options.clock.now() };
    this.#entries.set(sessionKey(id, endpoint), endpoint.ip, challenge);
  }

  /** Removes and returns the live challenge for `id` at `endpoint`: a challenge is answered once. */
  take(id: Uint8Array, endpoint: Endpoint): Challenge | undefined {
    this.#expire();
    const key = sessionKey(id, endpoint);
    const challenge = this.#entries.get(key);
    this.#entries.delete(key);
    return challenge;
  }

  /** Drops expired challenges; insertion order is send order, so it stops at the first live one. */
  #expire(): void {
    const deadline = this.#options.clock.now() - this.#options.timeoutMs;
    for (const [key, challenge] of this.#entries.entries()) {
      if (challenge.sentAt > deadline) break;
      this.#entries.delete(key);
    }
  }
}
