/**
 * A rendezvous channel: `send` resolves once a receiver took the item, so a slow receiver holds
 * the sender back and nothing piles up beyond the senders that are waiting. Shared by
 * `msgPipe` and the peer's per-protocol streams. Internal: not part of the public API.
 * @module
 */

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

/** One direction of items from senders to receivers, served in call order. */
export class MsgChannel<T> {
  readonly #senders: { item: T; waiter: Waiter<void> }[] = [];
  readonly #receivers: Waiter<T>[] = [];
  #failure: Error | null = null;

  /** Whether {@link MsgChannel.close} was called. */
  get closed(): boolean {
    return this.#failure !== null;
  }

  /** Hands `item` to a receiver; resolves once one took it, rejects if the channel closes. */
  send(item: T): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.resolve(item);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#senders.push({ item, waiter: { resolve, reject } });
    });
  }

  /** The next item; rejects if the channel is or becomes closed. */
  receive(): Promise<T> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const sender = this.#senders.shift();
    if (sender !== undefined) {
      sender.waiter.resolve();
      return Promise.resolve(sender.item);
    }
    return new Promise<T>((resolve, reject) => {
      this.#receivers.push({ resolve, reject });
    });
  }

  /** Rejects every waiting and later call with `err`; items not taken are dropped. Idempotent. */
  close(err: Error): void {
    if (this.#failure !== null) return;
    this.#failure = err;
    for (const s of this.#senders.splice(0)) s.waiter.reject(err);
    for (const r of this.#receivers.splice(0)) r.reject(err);
  }
}
