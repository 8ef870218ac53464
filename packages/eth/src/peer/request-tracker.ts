/**
 * Matches responses to requests by their random 64-bit request id and enforces the rules a
 * response must follow (geth `p2p/tracker`): a known id, the response kind the request asked
 * for, and no more items than were asked for. A request that gets no response in time rejects;
 * the peer stays up.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#request-ids
 * @module
 */
import {
  type Clock,
  checkPositiveInt,
  checkPositiveMs,
  type Random,
  type Timer,
} from '@ethp2p/base';
import { MAX_EXPIRED_REQUESTS, MAX_PENDING_REQUESTS, REQUEST_TIMEOUT_MS } from './constants.ts';
import { RequestError } from './errors.ts';

/** What each response carries, by message name. */
export interface ResponseItems {
  BlockHeaders: Uint8Array[];
  BlockBodies: Uint8Array[];
  Receipts: Uint8Array[][];
  /** eth/70 and later: the receipt lists and the `lastBlockIncomplete` flag. */
  Receipts70: { readonly lists: Uint8Array[][]; readonly incomplete: boolean };
  PooledTransactions: Uint8Array[];
  BlockAccessLists: Uint8Array[];
  Cells: {
    readonly hashes: readonly Uint8Array[];
    readonly cells: readonly (readonly Uint8Array[])[];
    readonly cellMask: Uint8Array;
  };
}

/** How many items a response counts against its request (lists, entries or transactions). */
function responseSize(items: ResponseItems[ResponseName]): number {
  if (Array.isArray(items)) return items.length;
  if ('lists' in items) return items.lists.length;
  return items.hashes.length;
}

/** A response message name. */
export type ResponseName = keyof ResponseItems;

/** Options of one tracked request. */
export interface TrackOptions {
  /** Cancels the request: it rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** How long to wait for the response (default: the tracker's). */
  readonly timeoutMs?: number | undefined;
  /**
   * Checks the response's content before it is taken; a `RequestError` it throws (code
   * `INVALID_RESPONSE`) is a violation, as a response with too many items is.
   */
  readonly check?: ((items: never) => void) | undefined;
}

/** Options of {@link RequestTracker}. */
export interface RequestTrackerOptions {
  readonly clock: Clock;
  /** Draws the request ids. */
  readonly random: Random;
  /** Default response timeout (default {@link REQUEST_TIMEOUT_MS}). */
  readonly timeoutMs?: number | undefined;
  /** Requests in flight at most (default {@link MAX_PENDING_REQUESTS}). */
  readonly maxPending?: number | undefined;
}

/** A request handed out by {@link RequestTracker.track}. */
export interface TrackedRequest<N extends ResponseName> {
  readonly id: bigint;
  /** Resolves with the response's items. */
  readonly response: Promise<ResponseItems[N]>;
}

interface Pending {
  readonly name: ResponseName;
  readonly maxItems: number;
  readonly check: ((items: never) => void) | undefined;
  resolve(items: unknown): void;
  reject(err: unknown): void;
}

/**
 * The requests in flight to one peer. Owned by that peer: every method is synchronous, and
 * `close()` rejects what is left and cancels every timer.
 */
export class RequestTracker {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  /** Made by the first request: a peer that never gets asked anything holds no map. */
  #pending: Map<bigint, Pending> | null = null;
  // Ids that timed out or were cancelled; a late response to one is dropped, not punished.
  // Made by the first expiry.
  #expired: Set<bigint> | null = null;
  #closed: Error | null = null;

  /** @throws {RangeError} for a timeout that is not a positive number of ms or a limit that is not a positive integer */
  constructor(options: RequestTrackerOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#timeoutMs = checkPositiveMs('timeoutMs', options.timeoutMs ?? REQUEST_TIMEOUT_MS);
    this.#maxPending = checkPositiveInt('maxPending', options.maxPending ?? MAX_PENDING_REQUESTS);
  }

  /** How many requests wait for their response. */
  get pending(): number {
    return this.#pending?.size ?? 0;
  }

  /**
   * Registers a request expecting response `name` with at most `maxItems` items, under a fresh
   * random id. The caller then sends the request with that id.
   * @throws {RequestError} `TOO_MANY_REQUESTS` when the limit is reached, `CLOSED` after close;
   *   the signal's reason if it is already aborted
   */
  track<N extends ResponseName>(
    name: N,
    maxItems: number,
    options: TrackOptions = {},
  ): TrackedRequest<N> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#closed !== null) throw this.#closed;
    this.#pending ??= new Map<bigint, Pending>();
    const inFlight = this.#pending;
    if (inFlight.size >= this.#maxPending) {
      throw new RequestError('TOO_MANY_REQUESTS', `${inFlight.size} requests already in flight`);
    }
    const timeoutMs = checkPositiveMs('timeoutMs', options.timeoutMs ?? this.#timeoutMs);
    const id = this.#freshId();
    let timer: Timer | null = null;
    const onAbort = (): void => this.#expire(id, signal?.reason);
    const response = new Promise<ResponseItems[N]>((resolve, reject) => {
      const done = (): void => {
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      inFlight.set(id, {
        name,
        maxItems,
        check: options.check,
        resolve: (items) => {
          done();
          resolve(items as ResponseItems[N]);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      });
    });
    timer = this.#clock.schedule(timeoutMs, () =>
      this.#expire(id, new RequestError('TIMEOUT', `no ${name} within ${timeoutMs} ms`)),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    return { id, response };
  }

  /**
   * Hands a response to its request.
   * @returns true if it completed a request, false if it answered one that already timed out
   *   or was cancelled (it is dropped)
   * @throws {RequestError} `UNKNOWN_REQUEST`, `WRONG_RESPONSE`, `TOO_MANY_ITEMS` or (from the
   *   request's `check`) `INVALID_RESPONSE`: the peer broke the rules and must be dropped (the
   *   request, if any, rejects with the same error)
   */
  fulfil<N extends ResponseName>(name: N, id: bigint, items: ResponseItems[N]): boolean {
    const req = this.#pending?.get(id);
    if (req === undefined) {
      if (this.#expired?.delete(id) === true) return false;
      throw new RequestError('UNKNOWN_REQUEST', `${name} for unknown request id ${id}`);
    }
    this.#pending?.delete(id);
    let violation: RequestError | null = null;
    if (req.name !== name) {
      violation = new RequestError('WRONG_RESPONSE', `${name} for a ${req.name} request ${id}`);
    } else if (responseSize(items) > req.maxItems) {
      violation = new RequestError(
        'TOO_MANY_ITEMS',
        `${name} with ${responseSize(items)} items for a request of ${req.maxItems}`,
      );
    } else if (req.check !== undefined) {
      try {
        req.check(items as never);
      } catch (err) {
        if (!(err instanceof RequestError)) throw err;
        violation = err;
      }
    }
    if (violation !== null) {
      req.reject(violation);
      throw violation;
    }
    req.resolve(items);
    return true;
  }

  /** Fails request `id` with `err` (e.g. its send failed); unknown ids are ignored. */
  fail(id: bigint, err: unknown): void {
    const req = this.#pending?.get(id);
    if (req === undefined) return;
    this.#pending?.delete(id);
    req.reject(err);
  }

  /**
   * Rejects every request in flight with `err` (default `CLOSED`) and refuses new ones.
   * Idempotent.
   */
  close(err: Error = new RequestError('CLOSED', 'peer closed')): void {
    if (this.#closed !== null) return;
    this.#closed = err;
    const pending = [...(this.#pending?.values() ?? [])];
    this.#pending = null;
    this.#expired = null;
    for (const req of pending) req.reject(err);
  }

  #expire(id: bigint, err: unknown): void {
    const req = this.#pending?.get(id);
    if (req === undefined) return;
    this.#pending?.delete(id);
    this.#expired ??= new Set<bigint>();
    const expired = this.#expired;
    expired.add(id);
    if (expired.size > MAX_EXPIRED_REQUESTS) {
      const oldest = expired.values().next();
      if (oldest.done !== true) expired.delete(oldest.value);
    }
    req.reject(err);
  }

  /** A random u64 not in flight. @throws {Error} if the random source keeps repeating itself */
  #freshId(): bigint {
    for (let attempt = 0; attempt < 64; attempt++) {
      const b = this.#random.bytes(8);
      const id = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
      if (this.#pending?.has(id) !== true) {
        this.#expired?.delete(id);
        return id;
      }
    }
    throw new Error('request id: the random source keeps repeating itself');
  }
}
