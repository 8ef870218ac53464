/**
 * {@link RpcConnection}: one client's state on the RPC server: its subscriptions and how their
 * notifications reach it (geth `rpc/subscription.go` `Notifier`).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { subscriptionNotification } from './message.ts';
import type { RpcSubscription } from './registry.ts';

/** Most subscriptions one connection may hold at once: a client cannot grow memory without bound. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 128;
/** Items kept per subscription before its subscribe answer went out; later ones are dropped. */
export const MAX_PENDING_NOTIFICATIONS = 1024;

interface Active {
  readonly namespace: string;
  /** Items that arrived before the subscribe answer was sent; undefined once active. */
  pending: unknown[] | undefined;
  stop: () => void;
}

/**
 * One client: a WebSocket connection (which takes subscriptions) or an HTTP request (which
 * does not). Owned by its transport: it calls {@link RpcConnection.activate} after sending each
 * answer, so that a subscription's first item follows the ID, and {@link RpcConnection.close}
 * when the client leaves, which stops every subscription.
 */
export class RpcConnection {
  readonly #send: ((text: string) => void) | undefined;
  readonly #subscriptions = new Map<string, Active>();
  #closed = false;

  /** `send` writes one notification to the client; without it subscriptions are refused. */
  constructor(send?: (text: string) => void) {
    this.#send = send;
  }

  /** Whether the client can receive notifications. */
  get canNotify(): boolean {
    return this.#send !== undefined && !this.#closed;
  }

  /** How many subscriptions are running. */
  get subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  /**
   * Starts `subscription` and returns its ID (`0x` and 32 hex digits). Its items are held until
   * the next {@link RpcConnection.activate}.
   * @throws whatever the subscription's `start` throws (bad params)
   */
  subscribe(
    namespace: string,
    subscription: RpcSubscription,
    params: readonly unknown[] | Readonly<Record<string, unknown>>,
  ): string {
    const id = `0x${randomBytes(16).toString('hex')}`;
    const entry: Active = { namespace, pending: [], stop: () => {} };
    entry.stop = subscription.start(params, (result) => this.#emit(id, entry, result));
    this.#subscriptions.set(id, entry);
    return id;
  }

  /** Stops subscription `id` of `namespace`; false when there is none. */
  unsubscribe(namespace: string, id: string): boolean {
    const entry = this.#subscriptions.get(id);
    if (entry === undefined || entry.namespace !== namespace) return false;
    this.#subscriptions.delete(id);
    entry.stop();
    return true;
  }

  /** Sends the items held back since the subscriptions started; later items go at once. */
  activate(): void {
    for (const [id, entry] of this.#subscriptions) {
      const pending = entry.pending;
      if (pending === undefined) continue;
      entry.pending = undefined;
      for (const result of pending) this.#write(id, entry.namespace, result);
    }
  }

  /** Stops every subscription; nothing is sent afterwards. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#subscriptions.values()) entry.stop();
    this.#subscriptions.clear();
  }

  #emit(id: string, entry: Active, result: unknown): void {
    if (this.#closed) return;
    if (entry.pending === undefined) this.#write(id, entry.namespace, result);
    else if (entry.pending.length < MAX_PENDING_NOTIFICATIONS) entry.pending.push(result);
  }

  #write(id: string, namespace: string, result: unknown): void {
    if (this.#closed || this.#send === undefined) return;
    this.#send(JSON.stringify(subscriptionNotification(namespace, id, result)));
  }
}
