/**
 * The one owner of pending discv4 replies (geth `replyMatcher` and `UDPv4.loop`). Requests
 * register what they expect; the receive path dispatches every reply to it. Generic over the
 * packet type, so it does not depend on the wire codec.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
import {
  type Clock,
  checkPositiveInt,
  checkPositiveMs,
  systemClock,
  type Timer,
} from '@ethp2p/base';
import { MAX_PENDING_REPLIES, RESPONSE_TIMEOUT_MS } from './constants.ts';
import { unmapAddress } from './datagram.ts';
import { type Deadlined, DeadlineQueue } from './deadline-queue.ts';
import { TransportError } from './errors.ts';

/** Who a reply must come from and what it must be: the sender's node ID, its IP and the type. */
export interface ReplyKey {
  /** Node ID as hex (compared case-insensitively). */
  readonly from: string;
  /** Source IP of the reply; IPv4-mapped IPv6 equals plain IPv4. */
  readonly ip: string;
  /** Packet type number. */
  readonly type: number;
}

/** A callback's verdict on one reply: did it belong to the request, and is the request done. */
export interface ReplyVerdict {
  readonly matched: boolean;
  readonly done: boolean;
}

/** Inspects a reply for one pending request; it may collect partial replies in its closure. */
export type ReplyCallback<P> = (packet: P) => ReplyVerdict;

/** Options of {@link ReplyMatcher.expect}. */
export interface ExpectOptions {
  /** Aborting rejects the request with `signal.reason` and unregisters it. */
  signal?: AbortSignal;
  /** Overrides the matcher's timeout for this request. */
  timeoutMs?: number;
}

/** Options of {@link ReplyMatcher}. */
export interface ReplyMatcherOptions {
  /** Default {@link systemClock}. */
  clock?: Clock;
  /** Deadline of a request, counted from registration. Default {@link RESPONSE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Requests beyond this many are rejected with `TOO_MANY_PENDING`. Default 4096. */
  maxPending?: number;
}

/** Counters of a {@link ReplyMatcher}. */
export interface ReplyMatcherStats {
  /** Requests waiting. */
  pending: number;
  /** Dispatched replies that some request's callback reported as matched. */
  matched: number;
  /** Dispatched replies that no request matched (unsolicited). */
  unmatched: number;
  /** Requests rejected with `TIMEOUT`. */
  timeouts: number;
  /** Requests rejected with `CLOCK_WARP`. */
  clockWarps: number;
}

interface Pending extends Deadlined {
  /** The sender's node ID, lower-case hex. */
  readonly from: string;
  /** The source IP, IPv4-mapped IPv6 unmapped. */
  readonly ip: string;
  readonly type: number;
  readonly timeoutMs: number;
  readonly callback: ReplyCallback<unknown>;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  live: boolean;
}

const NONE: readonly Pending[] = [];

/**
 * Matches replies to pending requests. It owns all of its state; every method runs synchronously.
 * Deadlines are kept in a heap behind a single clock timer for the earliest one, so the number of
 * timers is O(1) whatever the number of requests. If the clock jumps backwards so that a deadline
 * lies more than twice its timeout ahead, the request fails with `CLOCK_WARP` (geth
 * `errClockWarp`). It counts consecutive timeouts, but does not warn about the clock on them:
 * timeouts also mean that nobody answers (offline); the clock warning comes from expired packets
 * (`DriftMonitor`).
 */
export class ReplyMatcher<Packet = unknown> {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  /**
   * Pending requests by sender node ID, in registration order. Keyed by the ID alone (callers
   * pass strings they hold, such as `Node.idHex`, whose hash V8 keeps); a node rarely has more
   * than a few requests pending, so type and IP are compared in the list.
   */
  readonly #byNode = new Map<string, Pending[]>();
  /** Pending requests per source IP and packet type, for {@link ReplyMatcher.expectsFrom}. */
  readonly #bySource = new Map<string, number[]>();
  readonly #queue = new DeadlineQueue<Pending>();
  readonly #stats: ReplyMatcherStats = {
    pending: 0,
    matched: 0,
    unmatched: 0,
    timeouts: 0,
    clockWarps: 0,
  };
  #seq = 0;
  #consecutiveTimeouts = 0;
  #timer: Timer | undefined;
  #timerAt = 0;
  #lastNow: number;
  #closed = false;

  constructor(options: ReplyMatcherOptions = {}) {
    const { timeoutMs = RESPONSE_TIMEOUT_MS, maxPending = MAX_PENDING_REPLIES } = options;
    checkPositiveMs('timeoutMs', timeoutMs);
    checkPositiveInt('maxPending', maxPending);
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = timeoutMs;
    this.#maxPending = maxPending;
    this.#lastNow = this.#clock.now();
  }

  /** Requests waiting for their reply. */
  get pendingCount(): number {
    return this.#stats.pending;
  }

  /** How many requests may wait at once; {@link ReplyMatcher.expect} rejects beyond it. */
  get maxPending(): number {
    return this.#maxPending;
  }

  /**
   * Whether some request waits for a reply of `type` from `ip`, whatever the node ID: a cheap
   * check, before the sender is known, of whether a reply may be one to our own requests.
   */
  expectsFrom(ip: string, type: number): boolean {
    return (this.#bySource.get(unmapAddress(ip))?.[type] ?? 0) > 0;
  }

  /** A snapshot of the counters. */
  get stats(): ReplyMatcherStats {
    return { ...this.#stats };
  }

  /** Timeouts since the last reply from a node we were waiting for. */
  get consecutiveTimeouts(): number {
    return this.#consecutiveTimeouts;
  }

  /**
   * Waits for replies with `key`. Each one is passed to `callback` (in registration order among
   * requests with the same key); the promise resolves once it reports `done`. A timeout after
   * partial replies still rejects with `TIMEOUT`: the caller keeps what its callback collected
   * and decides whether that counts (geth accepts partial Neighbors). A callback that throws
   * rejects its request with that error.
   *
   * `P` is the caller's claim about what replies of `key.type` look like; the matcher only checks
   * the key.
   * @throws {TransportError} `TIMEOUT` at the deadline, `CLOCK_WARP` if the clock jumped back,
   *   `CLOSED` if the matcher is closed, `TOO_MANY_PENDING` if `maxPending` requests wait
   * @throws `signal.reason` when aborted
   * @throws {RangeError} if `timeoutMs` is not a positive number
   */
  expect<P extends Packet = Packet>(
    key: ReplyKey,
    callback: ReplyCallback<P>,
    options: ExpectOptions = {},
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const { signal, timeoutMs = this.#timeoutMs } = options;
      checkPositiveMs('timeoutMs', timeoutMs);
      signal?.throwIfAborted();
      if (this.#closed) throw new TransportError('CLOSED', 'reply matcher closed');
      if (this.#stats.pending >= this.#maxPending) {
        throw new TransportError('TOO_MANY_PENDING', `${this.#maxPending} replies pending`);
      }
      const now = this.#now();
      const entry: Pending = {
        from: key.from.toLowerCase(),
        ip: unmapAddress(key.ip),
        type: key.type,
        deadline: now + timeoutMs,
        seq: this.#seq++,
        timeoutMs,
        callback: callback as ReplyCallback<unknown>,
        resolve,
        reject,
        signal,
        onAbort: () => this.#settle(entry, { error: signal?.reason }),
        live: true,
      };
      this.#register(entry);
      this.#arm(now);
    });
  }

  /**
   * Offers a received reply to every request waiting for `key`, in registration order; requests
   * whose callback reports `done` resolve and are removed. Returns whether any callback reported
   * `matched`; if none did, the reply is unsolicited and counted in `stats.unmatched`. Any request
   * with this key resets the consecutive-timeout count, as in geth.
   */
  dispatch(key: ReplyKey, packet: Packet): boolean {
    const list = this.#byNode.get(key.from.toLowerCase());
    const ip = unmapAddress(key.ip);
    let matched = false;
    // A copy: settling a request removes it from the list under the loop.
    for (const entry of list === undefined ? NONE : list.slice()) {
      if (entry.type !== key.type || entry.ip !== ip) continue;
      this.#consecutiveTimeouts = 0;
      if (!entry.live) continue;
      let verdict: ReplyVerdict;
      try {
        verdict = entry.callback(packet);
      } catch (err) {
        this.#settle(entry, { error: err });
        continue;
      }
      matched ||= verdict.matched;
      if (verdict.done) this.#settle(entry);
    }
    if (matched) this.#stats.matched++;
    else this.#stats.unmatched++;
    return matched;
  }

  /** Rejects every pending request with `CLOSED` and cancels the timer. Idempotent. */
  close(): void {
    this.#closed = true;
    const failure = { error: new TransportError('CLOSED', 'reply matcher closed') };
    for (const list of [...this.#byNode.values()]) {
      for (const entry of [...list]) this.#settle(entry, failure);
    }
    this.#disarm();
  }

  #register(entry: Pending): void {
    const list = this.#byNode.get(entry.from);
    if (list === undefined) this.#byNode.set(entry.from, [entry]);
    else list.push(entry);
    let counts = this.#bySource.get(entry.ip);
    if (counts === undefined) {
      counts = [0, 0, 0, 0, 0, 0, 0, 0];
      this.#bySource.set(entry.ip, counts);
    }
    counts[entry.type] = (counts[entry.type] ?? 0) + 1;
    this.#queue.push(entry);
    this.#stats.pending++;
    entry.signal?.addEventListener('abort', entry.onAbort, { once: true });
  }

  /** The one place a request leaves: unindexed, listener removed, promise settled. */
  #settle(entry: Pending, failure?: { error: unknown }): void {
    if (!entry.live) return;
    entry.live = false;
    const list = this.#byNode.get(entry.from);
    if (list !== undefined) {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#byNode.delete(entry.from);
    }
    const counts = this.#bySource.get(entry.ip);
    if (counts !== undefined) {
      counts[entry.type] = (counts[entry.type] ?? 1) - 1;
      if (counts.every((n) => n === 0)) this.#bySource.delete(entry.ip);
    }
    entry.signal?.removeEventListener('abort', entry.onAbort);
    this.#stats.pending--;
    if (this.#stats.pending === 0) {
      this.#queue.clear();
      this.#disarm();
    } else {
      this.#queue.compact(this.#stats.pending);
    }
    if (failure === undefined) entry.resolve();
    else entry.reject(failure.error);
  }

  /** Reads the clock; if it went backwards, fails requests whose deadline is now too far ahead. */
  #now(): number {
    const now = this.#clock.now();
    if (now < this.#lastNow) {
      for (const list of [...this.#byNode.values()]) {
        for (const entry of [...list]) {
          if (entry.deadline - now <= 2 * entry.timeoutMs) continue;
          this.#stats.clockWarps++;
          const error = new TransportError('CLOCK_WARP', 'clock jumped backwards');
          this.#settle(entry, { error });
        }
      }
    }
    this.#lastNow = now;
    return now;
  }

  /** Makes sure a timer fires no later than the earliest deadline. */
  #arm(now: number): void {
    const first = this.#queue.peek();
    if (first === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timer !== undefined && this.#timerAt <= first.deadline) return;
    this.#disarm();
    this.#timerAt = first.deadline;
    this.#timer = this.#clock.schedule(Math.max(0, first.deadline - now), () => this.#expire());
  }

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#now();
    for (let first = this.#queue.peek(); first !== undefined && first.deadline <= now; ) {
      this.#queue.pop();
      this.#stats.timeouts++;
      const error = new TransportError('TIMEOUT', `no reply within ${first.timeoutMs} ms`);
      this.#consecutiveTimeouts++;
      this.#settle(first, { error });
      first = this.#queue.peek();
    }
    this.#arm(now);
  }
}
