/**
 * One matched protocol's message stream on a peer: codes start at 0 for the protocol and are
 * shifted by its offset on the wire (geth `protoRW`).
 * @module
 */
import type { MatchedProtocol } from '../caps.ts';
import { MsgError } from '../errors.ts';
import { MsgChannel } from '../msg-channel.ts';
import { checkMsg } from '../msg-pipe.ts';
import type { Msg, MsgReadWriter, Protocol } from '../protocol.ts';
import type { MessageCounters } from '../server/metrics.ts';

/** Writes a message with its wire code; rejects (after ending the peer) if the write fails. */
export type WireWriter = (wireCode: number, data: Uint8Array) => Promise<void>;

/**
 * The stream a protocol's `run()` gets. Inbound messages are handed over one at a time: the
 * peer's read loop waits in {@link ProtoRw.deliver} until the protocol reads, so a protocol
 * that does not read stops the peer's reads instead of growing a queue. Created and closed by
 * the peer; after {@link ProtoRw.close} every pending and later call rejects with
 * {@link MsgError} `CLOSED`.
 */
export class ProtoRw implements MsgReadWriter {
  readonly protocol: Protocol;
  /** The wire code of the protocol's code 0. */
  readonly offset: number;
  /** The server's counters of this protocol's messages, if it keeps them. */
  readonly counters: MessageCounters | undefined;
  readonly #inbox = new MsgChannel<Msg>();
  readonly #write: WireWriter;

  constructor(matched: MatchedProtocol, write: WireWriter, counters?: MessageCounters) {
    this.protocol = matched.protocol;
    this.offset = matched.offset;
    this.counters = counters;
    this.#write = write;
  }

  /** Whether wire code `code` belongs to this protocol. */
  owns(code: number): boolean {
    return code >= this.offset && code < this.offset + this.protocol.length;
  }

  /** Hands `msg` (with a protocol-relative code) to the protocol; resolves once it read it. */
  deliver(msg: Msg): Promise<void> {
    return this.#inbox.send(msg);
  }

  readMsg(): Promise<Msg> {
    return this.#inbox.receive();
  }

  /**
   * Sends message `code` (relative to the protocol).
   * @throws {MsgError} `INVALID_CODE` if `code` is not below the protocol's length (the peer
   * stays up: it is a bug of the caller); `CLOSED` once the peer is shutting down
   * @throws {RlpxError} if the connection fails (the peer then ends with NetworkError)
   * @throws {RangeError} for a negative or non-integer code; {TypeError} if `data` is not bytes
   */
  async writeMsg(code: number, data: Uint8Array): Promise<void> {
    checkMsg(code, data);
    if (code >= this.protocol.length) {
      throw new MsgError(
        'INVALID_CODE',
        `invalid message code ${code}: ${this.protocol.name}/${this.protocol.version} has ${this.protocol.length}`,
      );
    }
    if (this.#inbox.closed) throw new MsgError('CLOSED', 'peer is shutting down');
    await this.#write(this.offset + code, data);
  }

  /** Rejects the pending and later reads, writes and deliveries. Idempotent. */
  close(): void {
    this.#inbox.close(new MsgError('CLOSED', 'peer is shutting down'));
  }
}
