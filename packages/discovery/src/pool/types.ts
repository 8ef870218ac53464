/**
 * The seam between the discv4 service and the signature work it hands off: recovering the
 * sender of a datagram and sealing (signing) an encoded packet. Two implementations:
 * `InlineSignatures` does the work at once in the calling thread (as before workers existed),
 * `SignaturePool` spreads it over worker threads in batches.
 * @module
 */
import type { WireError } from '../wire/errors.ts';
import type { SignaturePoolError } from './errors.ts';

/**
 * What a piece of work is worth when the pool is saturated; the lower is dropped first (issue 18):
 * `ping` (recovering the sender of a Ping or of a reply nobody asked for, and our ping-backs),
 * then `request` (FindNode and ENRRequest, and the answers to requests we took: Pong, Neighbors,
 * ENRResponse, since finishing work is worth more than starting new), then `own` (our own
 * requests and the replies to them), which is never dropped for the others.
 */
export type WorkClass = 'ping' | 'request' | 'own';

/** The work classes, least valuable first. */
export const WORK_CLASSES: readonly WorkClass[] = ['ping', 'request', 'own'];

/** How a piece of work is scheduled. */
export interface WorkOptions {
  /**
   * Work with the same key completes in submission order (the remote endpoint, so that packets
   * from and to one peer keep their order). Earlier work of the key is raised to a later one's
   * class, so it never holds that one back.
   */
  readonly key: string;
  readonly workClass: WorkClass;
}

/** The sender of a datagram, or why it is unknown. */
export type RecoverOutcome =
  | { readonly ok: true; readonly publicKey: Uint8Array }
  | { readonly ok: false; readonly error: WireError | SignaturePoolError };

/** A sealed datagram and its hash, or why it was not sealed. */
export type SealOutcome =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly hash: Uint8Array }
  | { readonly ok: false; readonly error: SignaturePoolError };

/** Counters of a {@link SignatureRunner}. */
export interface SignatureStats {
  /** Worker threads (0 when inline). */
  readonly workers: number;
  /** Work waiting for a worker. */
  readonly queued: number;
  /** Work sent to workers and not back yet. */
  readonly inFlight: number;
  /** Work dropped by admission control, by the class it was submitted with. */
  readonly shed: Readonly<Record<WorkClass, number>>;
  /** Workers that died and were replaced. */
  readonly respawns: number;
  /** Batches run on the calling thread because no worker was ready (starting, or given up). */
  readonly inlineBatches: number;
}

/**
 * Runs discv4 signature work. `done` is called exactly once per call: synchronously by the
 * inline implementation, later by the pool; never after `close()` resolved. Callbacks of work
 * with the same key run in submission order.
 */
export interface SignatureRunner {
  /**
   * Recovers the public key that signed `datagram` (whose size and hash were checked). The
   * bytes must not change until `done` ran.
   */
  recover(datagram: Uint8Array, options: WorkOptions, done: (r: RecoverOutcome) => void): void;
  /**
   * Signs `unsigned` (an encoded packet with 97 reserved header bytes) with the service's key.
   * The pool may hand back the sealed packet in another buffer.
   */
  seal(unsigned: Uint8Array, options: WorkOptions, done: (r: SealOutcome) => void): void;
  /** A snapshot of the counters. */
  readonly stats: SignatureStats;
  /**
   * `true` for a runner whose packets carry no real signature (the simulated identity): the
   * service accepts it only on an `inMemory` socket. Absent or false for real signatures.
   */
  readonly simulated?: boolean;
  /** Fails pending work with `CLOSED` and ends the workers. Idempotent. */
  close(): Promise<void>;
}
