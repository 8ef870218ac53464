/**
 * A pool of bytes shared by many connections (a server's peers) that bounds how many large
 * incoming messages are being received, decrypted and decompressed at once. A connection whose
 * frame header announces a body over {@link IngressBudget.thresholdBytes} acquires room for it
 * before it reads that body, and stops reading its socket while it waits (TCP pushes back on the
 * peer); small frames never wait. Waiters are served in arrival order (FIFO); a single grant is
 * capped at the pool size, so a message larger than the pool passes alone rather than deadlock.
 * Other holders of bytes that must not wait (a node's responses not yet written) take room with
 * {@link IngressBudget.charge}: at once, past the size if need be, and acquisitions wait until
 * the pool is back under it.
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';

/** Default pool size: 32 MiB. */
export const DEFAULT_INGRESS_BUDGET_BYTES: number = 32 * 1024 * 1024;
/** Default size above which a frame body needs room from the pool: 64 KiB. */
export const DEFAULT_INGRESS_THRESHOLD_BYTES: number = 64 * 1024;

/** Options of {@link IngressBudget}. */
export interface IngressBudgetOptions {
  /** Bytes in the pool (default {@link DEFAULT_INGRESS_BUDGET_BYTES}). */
  readonly totalBytes?: number;
  /** Bodies of at most this many bytes never wait (default {@link DEFAULT_INGRESS_THRESHOLD_BYTES}). */
  readonly thresholdBytes?: number;
}

/** Room held in an {@link IngressBudget} until {@link IngressGrant.release}. */
export interface IngressGrant {
  /** Bytes held (the request, capped at the pool size). */
  readonly bytes: number;
  /** Gives the room back. Idempotent. */
  release(): void;
}

/** A snapshot of an {@link IngressBudget}, for metrics. */
export interface IngressBudgetStats {
  /** Bytes currently held by grants. */
  readonly heldBytes: number;
  /** The most bytes ever held at once. */
  readonly peakHeldBytes: number;
  /** Acquisitions waiting now. */
  readonly waiting: number;
  /** Acquisitions granted so far (charges are not counted). */
  readonly grants: number;
  /** Acquisitions that had to wait (granted later, or abandoned) so far. */
  readonly waits: number;
}

interface Waiter {
  readonly bytes: number;
  readonly resolve: (grant: IngressGrant) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * The shared pool. One owner (the server) creates it and passes it to every connection it
 * accepts or dials (`RlpxConnectionOptions.ingressBudget`).
 * @example
 * ```ts
 * const budget = new IngressBudget({ totalBytes: 32 * 1024 * 1024 });
 * const conn = await accept(socket, { privateKey, ingressBudget: budget });
 * ```
 */
export class IngressBudget {
  /** Bytes in the pool. */
  readonly totalBytes: number;
  /** Bodies of at most this many bytes never wait. */
  readonly thresholdBytes: number;
  readonly #queue: Waiter[] = [];
  #held = 0;
  #peak = 0;
  #grants = 0;
  #waits = 0;

  /** @throws {RangeError} for a non-positive or non-integer size */
  constructor(options: IngressBudgetOptions = {}) {
    this.totalBytes = checkPositiveInt(
      'totalBytes',
      options.totalBytes ?? DEFAULT_INGRESS_BUDGET_BYTES,
    );
    this.thresholdBytes = checkPositiveInt(
      'thresholdBytes',
      options.thresholdBytes ?? DEFAULT_INGRESS_THRESHOLD_BYTES,
    );
  }

  /** The pool's counters now. */
  stats(): IngressBudgetStats {
    return {
      heldBytes: this.#held,
      peakHeldBytes: this.#peak,
      waiting: this.#queue.length,
      grants: this.#grants,
      waits: this.#waits,
    };
  }

  /**
   * Room for `bytes` at once, without waiting, even past the pool's size (later acquisitions
   * then wait until enough is released). For bytes that are already held elsewhere and free
   * themselves (responses being written), never for incoming ones.
   * @throws {RangeError} if `bytes` is not a positive integer
   */
  charge(bytes: number): IngressGrant {
    checkPositiveInt('bytes', bytes);
    return this.#grant(bytes, false);
  }

  /**
   * Room for `bytes` (capped at the pool size), once every earlier waiter has been served and
   * the room is free.
   * @throws {RangeError} if `bytes` is not a positive integer; `signal.reason` on abort (the
   * wait is then abandoned and holds nothing)
   */
  acquire(bytes: number, signal?: AbortSignal): Promise<IngressGrant> {
    checkPositiveInt('bytes', bytes);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const wanted = Math.min(bytes, this.totalBytes);
    if (this.#queue.length === 0 && this.#fits(wanted)) return Promise.resolve(this.#grant(wanted));
    this.#waits++;
    return new Promise<IngressGrant>((resolve, reject) => {
      const waiter: Waiter = {
        bytes: wanted,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#queue.indexOf(waiter);
          if (i < 0) return;
          this.#queue.splice(i, 1);
          reject(signal?.reason);
          // The head may have been the one blocking the rest.
          this.#serve();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #fits(bytes: number): boolean {
    return this.#held + bytes <= this.totalBytes;
  }

  #grant(bytes: number, counted = true): IngressGrant {
    this.#held += bytes;
    if (counted) this.#grants++;
    if (this.#held > this.#peak) this.#peak = this.#held;
    let released = false;
    return {
      bytes,
      release: () => {
        if (released) return;
        released = true;
        this.#held -= bytes;
        this.#serve();
      },
    };
  }

  /** Grants waiters from the head of the queue while they fit. */
  #serve(): void {
    for (;;) {
      const head = this.#queue[0];
      if (head === undefined || !this.#fits(head.bytes)) return;
      this.#queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve(this.#grant(head.bytes));
    }
  }
}
