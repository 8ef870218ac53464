/**
 * An established RLPx connection: framed, MAC'd (and optionally snappy-compressed) messages over
 * a TCP socket whose handshake is done.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */

import type { Socket } from 'node:net';
import { type Clock, checkPositiveMs, systemClock, type Timer } from '@ethp2p/base';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { RlpxError } from '../errors.ts';
import { FrameCodec } from '../frame/codec.ts';
import { FrameBatch } from '../frame/frame-batch.ts';
import type { FrameMessage } from '../frame/reader.ts';
import type { SnappyCodec, SnappyImpl } from '../frame/snappy.ts';
import type { HandshakeResult } from './handshake-io.ts';
import type { IngressBudget, IngressGrant } from './ingress-budget.ts';

/** Default time a {@link RlpxConnection.readMsg} may wait for a message (geth: 30 s). */
export const READ_TIMEOUT_MS = 30_000;
/** Default time a {@link RlpxConnection.writeMsg} may wait for the socket to drain (geth: 20 s). */
export const WRITE_TIMEOUT_MS = 20_000;

/**
 * Frames queued within one tick are written together once they reach this many bytes (or at the
 * end of the tick): one socket write per batch instead of one per frame.
 */
const WRITE_BATCH_BYTES = 64 * 1024;

/**
 * A finished frame generator, shared: what a connection holds between socket chunks (a
 * finished generator of its own still holds the chunk it was given, on every idle peer).
 */
const NO_FRAMES: Generator<FrameMessage, void, undefined> = (function* () {})();
NO_FRAMES.next();

/** What `#nextFrame` returns while a large body waits for room in the ingress budget. */
const NEEDS_ROOM = Symbol('needs room');

/**
 * The most a snappy block expands: a 3-byte copy element writes at most 64 bytes. A body this
 * many times smaller than the budget's threshold cannot decompress past it, so it is not peeked.
 */
const MAX_SNAPPY_EXPANSION = 22;
/** Ciphertext bytes of a body that hold its message code and its snappy length. */
const PEEK_BYTES = 16;

/** Options of {@link RlpxConnection}. */
export interface RlpxConnectionOptions {
  /** Read idle timeout: how long one `readMsg` may wait (default {@link READ_TIMEOUT_MS}). */
  readonly readTimeoutMs?: number;
  /** How long one `writeMsg` may wait for `drain` (default {@link WRITE_TIMEOUT_MS}). */
  readonly writeTimeoutMs?: number;
  /** Largest accepted frame and decompressed payload (default and maximum 16 MiB). */
  readonly maxSize?: number;
  /** Snappy implementation used after {@link RlpxConnection.enableSnappy}. */
  readonly snappy?: SnappyImpl | SnappyCodec;
  /** Runs the read and write timers (default: the system clock). */
  readonly clock?: Clock;
  /**
   * A pool shared with other connections: a frame whose body or, with snappy, whose
   * decompressed payload is over its threshold is decoded only once room for the larger of the
   * two is granted (the socket is not read meanwhile), and the room is held until the next
   * `readMsg` or the close (or by whoever {@link RlpxConnection.takeRoom} hands it to).
   * Default: none (every body is read as it arrives).
   */
  readonly ingressBudget?: IngressBudget;
}

/** One received message. */
export interface RlpxMessage {
  /** The message code. */
  readonly code: number;
  /** The payload (decompressed when snappy is on). */
  readonly data: Uint8Array;
  /** Bytes the frame took on the wire (header, body, padding and MACs). */
  readonly size: number;
}

/**
 * Messages over one socket after the handshake. Reading and writing may run concurrently; reads
 * are served one at a time in call order. Incoming bytes are pulled from the paused socket only
 * while a read is pending, so a slow reader pushes back on the peer through TCP. Any failure (a
 * bad MAC, an oversize frame, bad snappy, a timeout, the peer closing) destroys the socket, and
 * every later call throws the same {@link RlpxError}.
 * @example
 * ```ts
 * const conn = await connect('127.0.0.1', 30303, remoteKey, { privateKey, signal });
 * await conn.writeMsg(0x10, payload);
 * const { code, data } = await conn.readMsg();
 * conn.close();
 * ```
 */
export class RlpxConnection {
  /** The peer's 64-byte static public key. */
  readonly remotePublicKey: Uint8Array;
  /** The peer's node ID, keccak256 of {@link RlpxConnection.remotePublicKey}. */
  readonly remoteId: Uint8Array;
  /** The remote IP of the TCP connection (as the socket reports it), if known. */
  readonly remoteAddress: string | undefined;
  /** The remote TCP port, if known. */
  readonly remotePort: number | undefined;
  /** Our IP of the TCP connection, if known. */
  readonly localAddress: string | undefined;
  /** Our TCP port, if known. */
  readonly localPort: number | undefined;
  readonly #socket: Socket;
  /** Whether the socket emitted `'close'` (or was closed when we took it). */
  #socketClosed: boolean;
  /** What {@link RlpxConnection.whenClosed} handed out, made by its first call. */
  #whenClosed: Promise<void> | null = null;
  #resolveClosed: (() => void) | null = null;
  readonly #codec: FrameCodec;
  readonly #clock: Clock;
  readonly #readTimeoutMs: number;
  readonly #writeTimeoutMs: number;
  #frames: Generator<FrameMessage, void, undefined>;
  #failure: RlpxError | null = null;
  /** Which timeout closed the connection, if one did. */
  #timedOut: 'read' | 'write' | null = null;
  #ended = false;
  /** Whether a read is being served; later reads wait in `#readTurns`, served in call order. */
  #reading = false;
  #readTurns: (() => void)[] | null = null;
  #draining: Promise<void> | null = null;
  /** Frames encoded and not yet handed to the socket, in order. */
  readonly #batch = new FrameBatch();
  #flushScheduled = false;
  /**
   * Who waits for the next socket event: the read being served and the write waiting for
   * drain (one of each at most, both serialised). Two fields, not a set: an idle connection
   * always has a read waiting, so every peer would hold the set.
   */
  #readWaker: (() => void) | null = null;
  #drainWaker: (() => void) | null = null;
  readonly #budget: IngressBudget | undefined;
  /** Room held for the frame body being read, or for the message last returned. */
  #grant: IngressGrant | null = null;
  /** Aborted on failure: ends a wait for budget. Made by the first such wait. */
  #closing: AbortController | null = null;

  /**
   * Takes over `socket` (paused, handshake done) with the secrets of `handshake`.
   * @throws {RangeError} for invalid options
   */
  constructor(socket: Socket, handshake: HandshakeResult, options: RlpxConnectionOptions = {}) {
    this.#socket = socket;
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    this.localAddress = socket.localAddress;
    this.localPort = socket.localPort;
    this.#socketClosed = socket.closed;
    this.remotePublicKey = handshake.remotePublicKey;
    this.remoteId = nodeIdFromPublicKey(handshake.remotePublicKey);
    this.#clock = options.clock ?? systemClock;
    this.#readTimeoutMs = checkPositiveMs(
      'readTimeoutMs',
      options.readTimeoutMs ?? READ_TIMEOUT_MS,
    );
    this.#writeTimeoutMs = checkPositiveMs(
      'writeTimeoutMs',
      options.writeTimeoutMs ?? WRITE_TIMEOUT_MS,
    );
    this.#codec = new FrameCodec(handshake.secrets, options);
    this.#frames = this.#codec.push(new Uint8Array(0));
    this.#budget = options.ingressBudget;
    if (this.#budget !== undefined) this.#codec.stream.holdBody = () => this.#roomWanted() > 0;
    socket.on('readable', this.#wake);
    socket.on('drain', this.#wake);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onClose);
    socket.on('error', this.#onError);
    if (socket.destroyed) this.#socketClosing();
  }

  /**
   * Bytes read from the socket so far, the handshake included: what the connection took on the
   * wire (geth's `meteredConn`). Stays readable after close.
   */
  get bytesRead(): number {
    return this.#socket.bytesRead;
  }

  /**
   * Bytes written so far, the handshake included, counting frames still batched for the socket
   * (see {@link RlpxConnection.bytesRead}).
   */
  get bytesWritten(): number {
    return this.#socket.bytesWritten + this.#batch.bytes;
  }

  /** Whether the connection is closed (by {@link RlpxConnection.close}, the peer or an error). */
  get closed(): boolean {
    return this.#failure !== null || this.#socket.destroyed;
  }

  /**
   * Resolves once the socket has fully closed (its `'close'` event), after
   * {@link RlpxConnection.close} or a failure; never rejects. A caller that must not outlive
   * the socket (a server's `stop()`) awaits it.
   */
  whenClosed(): Promise<void> {
    if (this.#socketClosed) return Promise.resolve();
    // Made on demand, resolved by the close listener: an open connection holds no promise.
    this.#whenClosed ??= new Promise<void>((resolve) => {
      this.#resolveClosed = resolve;
    });
    return this.#whenClosed;
  }

  /**
   * Half-closes the connection once every written frame is out (TCP FIN after the data), so a
   * {@link RlpxConnection.close} that follows does not drop a last message (a Disconnect) still
   * queued. Resolves when the socket has finished writing or closed; it may wait as long as the
   * peer does not read, so callers bound it with a deadline and close afterwards.
   */
  async end(): Promise<void> {
    this.#flush();
    const socket = this.#socket;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    socket.once('finish', done);
    socket.once('close', done);
    try {
      socket.end();
      if (socket.writableFinished || socket.destroyed) return;
      await finished;
    } finally {
      socket.off('finish', done);
      socket.off('close', done);
    }
  }

  /** Why the connection closed, or null while it is open. */
  get closeReason(): RlpxError | null {
    return this.#failure;
  }

  /**
   * Whether a read idle timeout closed the connection: a `readMsg` waited longer than the read
   * timeout (the `TIMEOUT` in {@link RlpxConnection.closeReason} is then a read's, not a
   * write's). A peer reports this end as "read timeout".
   */
  get readTimedOut(): boolean {
    return this.#timedOut === 'read';
  }

  /** Whether snappy is on. */
  get snappy(): boolean {
    return this.#codec.snappy;
  }

  /**
   * Compresses every later outgoing payload and decompresses every later incoming one: call it
   * right after reading the peer's Hello when both p2p versions are ≥ 5. Idempotent.
   */
  enableSnappy(): void {
    this.#codec.enableSnappy();
  }

  /**
   * The next message. Waits at most the read timeout; concurrent calls are served in order.
   * @throws {RlpxError} `CLOSED` after {@link RlpxConnection.close} or when the peer closes,
   * `TIMEOUT`, or the frame error that closed the connection
   */
  async readMsg(): Promise<RlpxMessage> {
    // One read at a time, without a promise chain: an idle peer always has a read pending, so
    // what a pending read holds is held by every peer.
    if (this.#reading) {
      this.#readTurns ??= [];
      const turns = this.#readTurns;
      await new Promise<void>((resolve) => turns.push(resolve));
    }
    this.#reading = true;
    // The caller is done with the message last returned: its room goes back to the pool.
    this.#releaseGrant();
    let timer: Timer | undefined;
    try {
      for (;;) {
        this.#throwIfClosed();
        const msg = this.#nextFrame();
        if (msg === NEEDS_ROOM) {
          // Waiting for room is this side's doing, not the peer's idleness: no read timer.
          timer?.cancel();
          timer = undefined;
          await this.#acquireRoom();
          continue;
        }
        if (msg !== null) return msg;
        timer ??= this.#startTimer(this.#readTimeoutMs, 'read');
        await this.#sleep('read');
      }
    } finally {
      timer?.cancel();
      const next = this.#readTurns?.shift();
      if (next === undefined) this.#reading = false;
      else next();
    }
  }

  /** Messages until the connection closes (a `CLOSED` ends the iteration; other errors throw). */
  async *[Symbol.asyncIterator](): AsyncGenerator<RlpxMessage, void, undefined> {
    for (;;) {
      let msg: RlpxMessage;
      try {
        msg = await this.readMsg();
      } catch (err) {
        if (err instanceof RlpxError && err.code === 'CLOSED') return;
        throw err;
      }
      yield msg;
    }
  }

  /**
   * Sends one message as one frame. Frames sent within one tick are laid out in shared buffers
   * and handed to the socket together at the end of the tick, or as soon as they reach
   * {@link WRITE_BATCH_BYTES}; order is kept. Resolves with the bytes the frame took on the wire
   * once it is queued (after `drain` if the socket's buffer was full); later calls wait for that
   * drain before writing. {@link RlpxConnection.end} writes what is queued first; a frame still
   * queued when the connection fails is dropped, like one in the socket's buffer.
   * @throws {RlpxError} `CLOSED`, `TIMEOUT` if the drain takes longer than the write timeout
   * (the connection is then closed)
   * @throws {RangeError} for an invalid code or a payload over the frame limit
   */
  async writeMsg(code: number, payload: Uint8Array): Promise<number> {
    while (this.#draining !== null) {
      this.#throwIfWriteClosed();
      await this.#draining;
    }
    this.#throwIfWriteClosed();
    // Laid out now, encrypted and MAC'd with the rest of the batch when it is flushed.
    const length = this.#codec.writer.queue(code, payload, this.#batch.reserve);
    if (this.#batch.bytes >= WRITE_BATCH_BYTES) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flushQueued);
    }
    if (!this.#socket.writableNeedDrain) return length;
    const draining = this.#waitDrain();
    this.#draining = draining;
    try {
      await draining;
    } finally {
      if (this.#draining === draining) this.#draining = null;
    }
    return length;
  }

  /**
   * Closes the connection: destroys the socket, rejects pending reads and drains with `CLOSED`,
   * clears every timer. Idempotent.
   */
  close(): void {
    // Hand queued frames to the socket first: what the kernel takes at once still goes out.
    this.#flush();
    this.#fail(new RlpxError('CLOSED', 'connection closed'));
  }

  /**
   * Takes over the room the ingress budget holds for the message the last `readMsg` returned
   * (null if it needed none): the connection no longer gives it back at the next read or on
   * close, and the caller releases it once done with the message. Call it before the next
   * `readMsg`.
   */
  takeRoom(): IngressGrant | null {
    const grant = this.#grant;
    this.#grant = null;
    return grant;
  }

  /** Hands the queued frames to the socket, in order, in one write (or one corked run). */
  #flush(): void {
    this.#codec.writer.seal();
    const parts = this.#batch.take();
    if (parts.length === 0 || this.#failure !== null || !this.#socket.writable) return;
    if (parts.length === 1) {
      this.#socket.write(parts[0] as Uint8Array);
      return;
    }
    this.#socket.cork();
    for (const part of parts) this.#socket.write(part);
    this.#socket.uncork();
  }

  readonly #flushQueued = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  /** Waits for room in the ingress budget for the announced message; holds it in `#grant`. */
  async #acquireRoom(): Promise<void> {
    const budget = this.#budget as IngressBudget;
    this.#closing ??= new AbortController();
    if (this.#failure !== null) this.#closing.abort(this.#failure);
    const grant = await budget.acquire(this.#roomWanted(), this.#closing.signal);
    if (this.#failure !== null) {
      grant.release();
      return;
    }
    this.#grant = grant;
    // The stream may have stopped at a body it holds whole: resume it there.
    this.#frames = this.#codec.push(new Uint8Array(0));
  }

  #releaseGrant(): void {
    this.#grant?.release();
    this.#grant = null;
  }

  /**
   * A decoded message from buffered bytes, null when the socket has nothing more yet, or
   * {@link NEEDS_ROOM} when a large body is announced and the budget must grant room before the
   * socket is read further.
   */
  #nextFrame(): RlpxMessage | null | typeof NEEDS_ROOM {
    for (;;) {
      let next: IteratorResult<FrameMessage, void>;
      try {
        next = this.#frames.next();
      } catch (err) {
        throw this.#fail(
          err instanceof RlpxError ? err : new RlpxError('BAD_FRAME', 'bad frame', { cause: err }),
        );
      }
      if (!next.done)
        return { code: next.value.code, data: next.value.data, size: next.value.wireSize };
      this.#frames = NO_FRAMES;
      // Undecided (the body's first bytes are not here yet) reads on: one more chunk at most.
      if (this.#roomWanted() > 0) return NEEDS_ROOM;
      const chunk = this.#socket.read() as Buffer | null;
      if (chunk === null) {
        if (this.#ended) throw this.#fail(new RlpxError('CLOSED', 'connection closed by the peer'));
        return null;
      }
      this.#frames = this.#codec.push(chunk);
    }
  }

  /**
   * The room the message announced next needs and does not have yet: the larger of its body
   * and, with snappy, the decompressed length its first block declares, when that is over the
   * budget's threshold; 0 when it needs none, has it already, or cannot tell yet (fewer than
   * {@link PEEK_BYTES} of its body are buffered; the body is then not complete either).
   */
  #roomWanted(): number {
    const budget = this.#budget;
    const stream = this.#codec.stream;
    const pending = stream.pendingBody;
    if (budget === undefined || this.#grant !== null || pending === 0) return 0;
    let room = pending;
    if (this.#codec.snappy && pending * MAX_SNAPPY_EXPANSION > budget.thresholdBytes) {
      const first = stream.peekBody(PEEK_BYTES);
      if (first === null) return 0;
      room = Math.max(room, this.#codec.reader.peekDecodedLength(first) ?? 0);
    }
    return room > budget.thresholdBytes ? room : 0;
  }

  async #waitDrain(): Promise<void> {
    const timer = this.#startTimer(this.#writeTimeoutMs, 'write');
    try {
      while (this.#socket.writableNeedDrain) {
        this.#throwIfWriteClosed();
        await this.#sleep('drain');
      }
      this.#throwIfWriteClosed();
    } finally {
      timer.cancel();
    }
  }

  /**
   * Resolves at the next socket event (readable, drain, end, close) or failure; `who` is the
   * read being served or the write waiting for drain.
   */
  #sleep(who: 'read' | 'drain'): Promise<void> {
    return new Promise<void>((resolve) => {
      if (who === 'read') this.#readWaker = resolve;
      else this.#drainWaker = resolve;
    });
  }

  readonly #wake = (): void => {
    const read = this.#readWaker;
    const drain = this.#drainWaker;
    this.#readWaker = null;
    this.#drainWaker = null;
    read?.();
    drain?.();
  };

  #startTimer(ms: number, kind: 'read' | 'write'): Timer {
    return this.#clock.schedule(ms, () => {
      if (this.#failure === null) this.#timedOut = kind;
      this.#fail(new RlpxError('TIMEOUT', `rlpx ${kind} timed out after ${ms} ms`));
    });
  }

  #throwIfClosed(): void {
    if (this.#failure !== null) throw this.#failure;
  }

  /** Like `#throwIfClosed`, also once the peer closed and only buffered messages remain. */
  #throwIfWriteClosed(): void {
    this.#throwIfClosed();
    if (this.#socket.destroyed || !this.#socket.writable) {
      throw new RlpxError('CLOSED', 'connection closed by the peer');
    }
  }

  /** Records the first failure, destroys the socket and wakes every waiter; returns the failure. */
  #fail(err: RlpxError): RlpxError {
    if (this.#failure === null) {
      this.#failure = err;
      this.#socket.destroy();
      this.#releaseGrant();
      this.#closing?.abort(err);
    }
    this.#wake();
    return this.#failure;
  }

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#wake();
  };

  readonly #onClose = (): void => {
    this.#socketClosed = true;
    this.#resolveClosed?.();
    this.#socketClosing();
  };

  /** The socket is closing or closed: fail what waits (#fail wakes the waiters itself). */
  #socketClosing(): void {
    if (!this.#ended) this.#fail(new RlpxError('CLOSED', 'connection closed'));
    else this.#wake();
  }

  readonly #onError = (err: Error): void => {
    this.#fail(new RlpxError('CLOSED', `socket error: ${err.message}`, { cause: err }));
  };
}
