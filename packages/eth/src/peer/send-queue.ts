/**
 * A bounded queue of things to send to one peer, drained by one sender at a time (geth's
 * `broadcastTransactions` / `announceTransactions` loops). Adding never waits: when the queue is
 * full the oldest entries are dropped, so a slow peer costs bounded memory.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** The front of a {@link SendQueue}, as its `sendNext` callback sees it. */
export interface QueueFront<T> {
  /** How many entries are queued. */
  readonly size: number;
  /** The oldest entry, without taking it. */
  peek(): T | undefined;
  /** Takes the oldest entry. */
  shift(): T | undefined;
}

/** Options of {@link SendQueue}. */
export interface SendQueueOptions<T> {
  /** The most entries kept; adding more drops the oldest. */
  readonly capacity: number;
  /**
   * Takes one pack of entries off the front (at least one) and sends it; resolves once written.
   * A rejection stops the queue for good (the peer is going away).
   */
  readonly sendNext: (front: QueueFront<T>) => Promise<void>;
  /** Called once with the error that stopped the queue. */
  readonly onError?: (err: unknown) => void;
}

/**
 * A bounded FIFO with one drain task. Owned by one peer: `push` and `close` are synchronous, the
 * drain runs between awaits. It is its own {@link QueueFront}: `sendNext` gets the queue.
 */
export class SendQueue<T> implements QueueFront<T> {
  readonly capacity: number;
  readonly #sendNext: (front: QueueFront<T>) => Promise<void>;
  readonly #onError: ((err: unknown) => void) | undefined;
  #items: (T | undefined)[] = [];
  #head = 0;
  #taken = 0;
  #dropped = 0;
  #closed = false;
  #draining: Promise<void> | null = null;

  /** @throws {RangeError} unless `capacity` is a positive integer */
  constructor(options: SendQueueOptions<T>) {
    const { capacity } = options;
    this.capacity = checkPositiveInt('capacity', capacity);
    this.#sendNext = options.sendNext;
    this.#onError = options.onError;
  }

  /** How many entries wait to be sent. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** The oldest entry, without taking it (for `sendNext`). */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Takes the oldest entry (for `sendNext`). */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head++;
    this.#taken++;
    this.#compact();
    return item;
  }

  /** How many entries were dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether the queue was closed (by `close()` or a failed send). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues `items` and starts the drain if it is idle; drops the oldest entries beyond the
   * capacity. Does nothing once closed. Returns at once.
   */
  push(...items: T[]): void {
    if (this.#closed || items.length === 0) return;
    for (const item of items) this.#items.push(item);
    const excess = this.size - this.capacity;
    if (excess > 0) {
      this.#head += excess;
      this.#dropped += excess;
    }
    this.#compact();
    if (this.#draining === null) this.#draining = this.#drain();
  }

  /** Resolves once the queue is empty and nothing is being sent (or it is closed). */
  async idle(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  /** Drops every queued entry and stops sending. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#closed && this.size > 0) {
        const taken = this.#taken;
        await this.#sendNext(this);
        // A sender that took nothing would spin: take the entry it left.
        if (this.#taken === taken) this.shift();
      }
    } catch (err) {
      this.close();
      this.#onError?.(err);
    } finally {
      this.#draining = null;
    }
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > this.capacity) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
