/**
 * An in-memory, connected pair of message streams, so a {@link Protocol} can be tested with no
 * sockets and no crypto (geth `p2p.MsgPipe`).
 * @module
 */
import { type Clock, systemClock } from '@ethp2p/base';
import { MsgError } from './errors.ts';
import { MsgChannel } from './msg-channel.ts';
import type { Msg, MsgReadWriter } from './protocol.ts';

/** One end of a {@link msgPipe}. */
export interface MsgPipeEnd extends MsgReadWriter {
  /** Whether the pipe is closed (from either end). */
  readonly closed: boolean;
  /**
   * Closes the whole pipe: pending and later reads and writes on both ends reject with a
   * {@link MsgError} `CLOSED`, and messages not yet read are dropped. Idempotent.
   */
  close(): void;
}

/** Options of {@link msgPipe}. */
export interface MsgPipeOptions {
  /** Stamps `receivedAt` on each message read (default: the system clock). */
  readonly clock?: Clock;
}

/**
 * A connected pair of message streams: what one end writes, the other reads, in order.
 * `writeMsg` resolves once the other end has read the message (unbuffered, like geth's), so a
 * test that writes without a reader waits; payloads are passed by reference. Codes are not
 * offset: a protocol sees the codes it writes.
 * @example
 * ```ts
 * const [ours, theirs] = msgPipe();
 * const run = myProtocol.run(peer, ours, { signal });
 * await sendItems(theirs, 0x00, 68n, networkId);
 * const status = await expectMsg(theirs, 0x00);
 * ours.close();
 * ```
 */
export function msgPipe(options: MsgPipeOptions = {}): [MsgPipeEnd, MsgPipeEnd] {
  const clock = options.clock ?? systemClock;
  const aToB = new MsgChannel<Msg>();
  const bToA = new MsgChannel<Msg>();
  const close = (): void => {
    const err = new MsgError('CLOSED', 'message pipe closed');
    aToB.close(err);
    bToA.close(err);
  };
  return [end(clock, aToB, bToA, close), end(clock, bToA, aToB, close)];
}

function end(
  clock: Clock,
  out: MsgChannel<Msg>,
  inbox: MsgChannel<Msg>,
  close: () => void,
): MsgPipeEnd {
  return {
    get closed() {
      return out.closed;
    },
    close,
    async readMsg() {
      const msg = await inbox.receive();
      return { ...msg, receivedAt: clock.now() };
    },
    async writeMsg(code, data) {
      checkMsg(code, data);
      await out.send({ code, data, size: data.length, receivedAt: 0 });
    },
  };
}

/**
 * Checks the arguments of a `writeMsg`.
 * @throws {RangeError} unless `code` is a non-negative safe integer; {TypeError} unless `data`
 * is a Uint8Array
 */
export function checkMsg(code: number, data: Uint8Array): void {
  if (!Number.isSafeInteger(code) || code < 0) {
    throw new RangeError(`code: expected a non-negative safe integer, got ${String(code)}`);
  }
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`data: expected Uint8Array, got ${typeof data}`);
  }
}
