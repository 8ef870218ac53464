/**
 * The seam between the rlpx suite and its two drivers (ethp2p and @ethereumjs/devp2p): what one
 * stack must do on loopback, with both ends of every connection in this process, plus the small
 * helpers both drivers share.
 * @module
 */
import { randomFillSync } from 'node:crypto';

/** One full handshake, both ends; prepared ahead of time so its setup is not measured. */
export type Handshake = (signal: AbortSignal) => Promise<void>;

/** Bounds of one one-way flow of messages: it stops sending at whichever comes first. */
export interface FlowOptions {
  /** Payload bytes of each message. */
  readonly size: number;
  /** Whether both ends compress with snappy. */
  readonly snappy: boolean;
  /** Payload bytes to send at most. */
  readonly maxBytes: number;
  /** Milliseconds to keep sending at most. */
  readonly maxMs: number;
  /** Aborts the flow (it then rejects with the signal's reason). */
  readonly signal: AbortSignal;
}

/** What the receiving end of a flow got, and the time from the first send to the last read. */
export interface FlowResult {
  /** Payload bytes read (the end marker excluded). */
  readonly bytes: number;
  /** Data messages read. */
  readonly messages: number;
  /** From the first send until the end marker was read. */
  readonly elapsedMs: number;
  /** CPU time of this process (user and system, every thread) over the same span. */
  readonly cpuMs: number;
}

/** One stack under test, listening on 127.0.0.1 and dialing itself. */
export interface RlpxTarget {
  /** Column label. */
  readonly name: string;
  /** Whether messages can be sent uncompressed once the Hello exchange is done. */
  readonly canDisableSnappy: boolean;
  /** Prepares `n` handshakes (keys, dialer nodes) untimed; each function runs one. */
  prepareHandshakes(n: number): Promise<Handshake[]>;
  /** Opens a connection, sends one way within the bounds, waits for the reader, closes it. */
  flow(options: FlowOptions): Promise<FlowResult>;
  /** Opens a connection and returns the time in ms of each of `count` request/response trips. */
  roundTrips(count: number, signal: AbortSignal): Promise<number[]>;
  /** Closes the listener and every connection still open. Safe to call twice. */
  close(): Promise<void>;
}

/** Payload size of the message standing in for Hello on our side (an ethereumjs Hello is ~110 B). */
export const HELLO_SIZE = 110;
/** An eth/68 GetBlockHeaders `[reqId, [origin, amount, skip, reverse]]`, RLP: 10 bytes. */
export const REQUEST_SIZE = 10;
/** An empty eth/68 BlockHeaders `[reqId, []]`, RLP: 3 bytes. */
export const RESPONSE_SIZE = 3;

/** `count` random payloads of `size` bytes: incompressible, so snappy gains nothing. */
export function randomPayloads(size: number, count: number): Uint8Array[] {
  return Array.from({ length: count }, () => randomFillSync(new Uint8Array(size)));
}

/** Distinct payloads a flow cycles through: a few, and at most 16 MiB of them. */
export function payloadsFor(options: FlowOptions): Uint8Array[] {
  const count = Math.max(1, Math.min(16, Math.floor((16 << 20) / options.size)));
  return randomPayloads(options.size, count);
}

/** Milliseconds of CPU time (user and system) this process used since `start`. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Lower-case hex, for map keys. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Settles like `promise`, or rejects with the signal's reason if it aborts first. */
export function within<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Hands a value to whoever waits for its key: pairs the two ends of a loopback connection by the
 * initiator's public key when several dial at once. The waiter registers before it dials.
 */
export class Rendezvous<T> {
  readonly #waiting = new Map<string, (value: T) => void>();

  /** Gives `value` to the waiter for `key`; returns false (and keeps nothing) if there is none. */
  deliver(key: string, value: T): boolean {
    const waiter = this.#waiting.get(key);
    if (waiter === undefined) return false;
    this.#waiting.delete(key);
    waiter(value);
    return true;
  }

  /** Waits for the value of `key`; call it before the value can arrive. */
  take(key: string, signal: AbortSignal): Promise<T> {
    const waiting = new Promise<T>((resolve) => this.#waiting.set(key, resolve));
    const taken = within(waiting, signal);
    taken.catch(() => this.#waiting.delete(key));
    return taken;
  }
}
