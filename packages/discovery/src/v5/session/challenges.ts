/**
 * WHOAREYOU challenges we sent and wait to see answered by a handshake, per (node ID, endpoint):
 * capped in total and per IP, and valid for {@link HANDSHAKE_TIMEOUT_MS}.
 * @module
 */
import type { Clock } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { type Endpoint, sessionKey } from './keys.ts';
import { PerIpCount } from './per-ip.ts';

/** A challenge we sent. */
export interface Challenge {
  /** The unmasked WHOAREYOU header: the handshake's challenge-data. */
  readonly challengeData: Uint8Array;
  /** The record we knew of the challenged node (its seq went into the WHOAREYOU), if any. */
  readonly node: Node | undefined;
  readonly sentAt: number;
}

/** Options of {@link ChallengeStore}. */
export interface ChallengeStoreOptions {
  readonly clock: Clock;
  readonly capacity: number;
  readonly timeoutMs: number;
  readonly maxPerIp: number;
  readonly exemptIp: (ip: string) => boolean;
}

/** The outcome of {@link ChallengeStore.add}. */
export type ChallengeAddResult = 'added' | 'pending' | 'full' | 'ip-limit';

/** Pending challenges. Owned by the session codec, synchronous. */
export class ChallengeStore {
  readonly #entries = new Map<string, { challenge: Challenge; ip: string }>();
  readonly #perIp: PerIpCount;
  readonly #options: ChallengeStoreOptions;

  constructor(options: ChallengeStoreOptions) {
    this.#options = options;
    this.#perIp = new PerIpCount(options.maxPerIp, options.exemptIp);
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
    if (this.#entries.has(sessionKey(id, endpoint))) return 'pending';
    if (this.#entries.size >= this.#options.capacity) return 'full';
    if (!this.#perIp.allows(endpoint.ip)) return 'ip-limit';
    return 'added';
  }

  /** Records a challenge sent to `id` at `endpoint`; call after {@link check} said `added`. */
  add(id: Uint8Array, endpoint: Endpoint, challengeData: Uint8Array, node: Node | undefined): void {
    this.#entries.set(sessionKey(id, endpoint), {
      challenge: { challengeData, node, sentAt: this.#options.clock.now() },
      ip: endpoint.ip,
    });
    this.#perIp.add(endpoint.ip);
  }

  /** Removes and returns the live challenge for `id` at `endpoint`: a challenge is answered once. */
  take(id: Uint8Array, endpoint: Endpoint): Challenge | undefined {
    this.#expire();
    const key = sessionKey(id, endpoint);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#perIp.remove(entry.ip);
    return entry.challenge;
  }

  /** Drops expired challenges; insertion order is send order, so it stops at the first live one. */
  #expire(): void {
    const deadline = this.#options.clock.now() - this.#options.timeoutMs;
    for (const [key, entry] of this.#entries) {
      if (entry.challenge.sentAt > deadline) break;
      this.#entries.delete(key);
      this.#perIp.remove(entry.ip);
    }
  }
}
