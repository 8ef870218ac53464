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

interface Sender<T> {
  readonly item: T;
  readonly waiter: Waiter<void>;
}

/**
 * Waiters in call order. The first is kept in a field and the rest in an array made when a
 * second one waits: every idle peer's stream has one receiver waiting, and an array holds
 * room for 17 from its first push.
 */
class Waiting<W> {
  #first: W | undefined = undefined;
  #rest: W[] | null = null;

  push(w: W): void {
    if (this.#first === undefined) this.#first = w;
    else if (this.#rest === null) this.#rest = [w];
    else this.#rest.push(w);
  }

  shift(): W | undefined {
    const first = this.#first;
    this.#first = this.#rest?.shift();
    if (this.#rest?.length === 0) this.#rest = null;
    return first;
  }

  /** Every waiter, in order, and none left. */
  drain(): W[] {
    const all = this.#first === undefined ? [] : [this.#first, ...(this.#rest ?? [])];
    this.#first = undefined;
    this.#rest = null;
    return all;
  }
}

/**
 * One direction of items from senders to receivers, served in call order. A receiver gets
 * `take(item)`, called when the item is handed over (default: the item itself), so a stream can
 * note what comes with an item the moment it is taken without an async step of its own.
 */
export class MsgChannel<T, R = T> {
  readonly #senders = new Waiting<Sender<T>>();
  readonly #receivers = new Waiting<Waiter<R>>();
  readonly #take: (item: T) => R;
  #failure: Error | null = null;

  constructor(take: (item: T) => R = (item) => item as unknown as R) {
    this.#take = take;
  }

  /** Whether {@link MsgChannel.close} was called. */
  get closed(): boolean {
    return this.#failure !== null;
  }

  /** Hands `item` to a receiver; resolves once one took it, rejects if the channel closes. */
  send(item: T): Promise<void> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.resolve(this.#take(item));
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.#senders.push({ item, waiter: { resolve, reject } });
    });
  }

  /** The next item (taken); rejects if the channel is or becomes closed. */
  receive(): Promise<R> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const sender = this.#senders.shift();
    if (sender !== undefined) {
      sender.waiter.resolve();
      return Promise.resolve(this.#take(sender.item));
    }
    return new Promise<R>((resolve, reject) => {
      this.#receivers.push({ resolve, reject });
    });
  }

  /** Rejects every waiting and later call with `err`; items not taken are dropped. Idempotent. */
  close(err: Error): void {
    if (this.#failure !== null) return;
    this.#failure = err;
    for (const s of this.#senders.drain()) s.waiter.reject(err);
    for (const r of this.#receivers.drain()) r.reject(err);
  }
}
