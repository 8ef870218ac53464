/**
 * The one way out to a peer: encodes eth messages with the negotiated version's table and
 * writes them in order, one at a time, without making the caller wait for earlier writes.
 * @module
 */
import type { MsgWriter } from '@ethp2p/server';
import {
  decodeMessage,
  type Eth68Types,
  type Eth69Types,
  type Eth70Types,
  type Eth71Types,
  type Eth72Types,
  type EthMessage,
  type EthVersion,
  encodeMessage,
  type RawMessage,
} from '../messages/versions.ts';

/** A negotiated eth version table. */
export type AnyEthVersion =
  | EthVersion<Eth68Types>
  | EthVersion<Eth69Types>
  | EthVersion<Eth70Types>
  | EthVersion<Eth71Types>
  | EthVersion<Eth72Types>;

/** A decoded message of any version. */
export type AnyEthMessage =
  | EthMessage<Eth68Types>
  | EthMessage<Eth69Types>
  | EthMessage<Eth70Types>
  | EthMessage<Eth71Types>
  | EthMessage<Eth72Types>;

/** `decodeMessage` for a version known only as either table. @throws {EthError} as it does */
export function decodeAny(version: AnyEthVersion, msg: RawMessage): AnyEthMessage {
  return decodeMessage(version as EthVersion<Eth68Types>, msg);
}

type AllTypes = Eth68Types | Eth69Types | Eth70Types | Eth71Types | Eth72Types;
type KeysOf<T> = T extends unknown ? keyof T : never;
type ValuesOf<T, N> = T extends unknown ? (N extends keyof T ? T[N] : never) : never;

/**
 * Every message after Status, by name, across the versions this package speaks: the value of a
 * name is any version's form of it (the negotiated version's codec refuses another form).
 */
export type EthMessages = {
  [N in Exclude<KeysOf<AllTypes>, 'Status'>]: ValuesOf<AllTypes, N>;
};

/**
 * Serialises one peer's writes: each message is written once the one before it was handed to
 * the transport (over a `msgPipe`: read by the other end), in call order.
 */
export class MessageWriter {
  readonly version: AnyEthVersion;
  readonly #rw: MsgWriter;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(rw: MsgWriter, version: AnyEthVersion) {
    this.#rw = rw;
    this.version = version;
  }

  /** How many messages wait to be written (including the one being written). */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Encodes message `name` and queues it; resolves once written.
   * @throws {RangeError} (synchronously) if the version has no such message;
   *   TypeError/RangeError for a bad value
   * @returns a promise that rejects if the write fails
   */
  send<N extends keyof EthMessages & string>(name: N, value: EthMessages[N]): Promise<void> {
    const { code, data } = this.encode(name, value);
    return this.write(code, data);
  }

  /**
   * Encodes message `name` in the negotiated version.
   * @throws {RangeError} if the version has no such message; TypeError/RangeError for a bad value
   */
  encode<N extends keyof EthMessages & string>(
    name: N,
    value: EthMessages[N],
  ): { code: number; data: Uint8Array } {
    return encodeMessage(this.version as unknown as EthVersion<EthMessages>, name, value);
  }

  /**
   * Queues an already-encoded message; resolves once written. When nothing is queued the write
   * starts now, so the transport frames it within the caller's turn.
   */
  write(code: number, data: Uint8Array): Promise<void> {
    const idle = this.#pending === 0;
    this.#pending++;
    const done = idle
      ? this.#writeNow(code, data)
      : this.#tail.then(() => this.#rw.writeMsg(code, data));
    const settled = done.then(
      () => {
        this.#pending--;
      },
      () => {
        this.#pending--;
      },
    );
    this.#tail = settled;
    return done;
  }

  #writeNow(code: number, data: Uint8Array): Promise<void> {
    try {
      return this.#rw.writeMsg(code, data);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
