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

/**
 * Room a received message holds in a shared pool (the server's ingress budget) until its
 * protocol is done with it.
 */
export interface HeldRoom {
  /** Gives the room back. Idempotent. */
  release(): void;
}

interface Delivery {
  readonly msg: Msg;
  readonly room: HeldRoom | null;
}

/** Writes a message with its wire code; rejects (after ending the peer) if the write fails. */
export type WireWriter = (wireCode: number, data: Uint8Array) => Promise<void>;

/**
 * The stream a protocol's `run()` gets. Inbound messages are handed over one at a time: the
 * peer's read loop waits in {@link ProtoRw.deliver} until the protocol reads, so a protocol
 * that does not read stops the peer's reads instead of growing a queue. Created and closed by
 * the peer; after {@link ProtoRw.close} every pending and later call rejects with
 * {@link MsgError} `CLOSED`.
 *
 * A message delivered with room in the ingress budget keeps it until the protocol is done with
 * it: until its next `readMsg` (a protocol that handles one message at a time asks for the next
 * once the last is handled) or the close. So bytes received and not yet handled stay counted in
 * the pool, and a peer whose message waits to be served holds the others' large messages back.
 */
export class ProtoRw implements MsgReadWriter {
  readonly protocol: Protocol;
  /** The wire code of the protocol's code 0. */
  readonly offset: number;
  /** The server's counters of this protocol's messages, if it keeps them. */
  readonly counters: MessageCounters | undefined;
  /** Hands each message over with its room noted the moment it is taken. */
  readonly #inbox = new MsgChannel<Delivery, Msg>((d) => this.#taken(d));
  readonly #write: WireWriter;
  /** The room of the message last read, until the next read or the close. */
  #room: HeldRoom | null = null;

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

  /**
   * Hands `msg` (with a protocol-relative code) to the protocol; resolves once it read it. The
   * stream owns `room` from now on (it is released if the delivery fails).
   */
  async deliver(msg: Msg, room: HeldRoom | null = null): Promise<void> {
    try {
      await this.#inbox.send({ msg, room });
    } catch (err) {
      room?.release();
      throw err;
    }
  }

  /**
   * The next message; the room of the one read before goes back to the pool. Not an async
   * function: an idle peer's protocol always waits here, and would hold its frame.
   */
  readMsg(): Promise<Msg> {
    this.#releaseRoom();
    return this.#inbox.receive();
  }

  /**
   * A message is taken by a read: its room is held from now on (a close meanwhile releases it).
   * Room still held from a concurrent read goes back first.
   */
  #taken({ msg, room }: Delivery): Msg {
    this.#releaseRoom();
    this.#room = room;
    return msg;
  }

  #releaseRoom(): void {
    this.#room?.release();
    this.#room = null;
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
    this.#releaseRoom();
  }
}
