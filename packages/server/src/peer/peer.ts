/**
 * A connected peer after Hello: the read loop, the ping loop and one task per matched protocol
 * over one RLPx connection, until it disconnects (geth `p2p/peer.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#p2p-capability
 * @module
 */
import { type Clock, type Logger, silentLogger, systemClock, type Timer } from '@ethp2p/base';
import type { NodeId } from '@ethp2p/enode';
import { type RlpxConnection, RlpxError, type RlpxMessage } from '@ethp2p/rlpx';
import type { MatchedProtocol } from '../caps.ts';
import { discReasonForError, PeerError } from '../errors.ts';
import type { Cap, Protocol, ProtocolPeer } from '../protocol.ts';
import type { MessageCounters } from '../server/metrics.ts';
import { BASE_PROTOCOL_LENGTH, BaseMsgCode, PING_INTERVAL_MS } from '../wire/constants.ts';
import { DiscReason, discReasonText, isDiscReason } from '../wire/disc-reason.ts';
import { decodeDisconnect } from '../wire/disconnect.ts';
import type { Hello } from '../wire/hello.ts';
import { type HeldRoom, ProtoRw } from './proto-rw.ts';
import { type PeerRtt, RttTracker } from './rtt.ts';
import { sendDisconnect } from './send-disconnect.ts';

/** The payload of Ping and Pong: the empty RLP list. */
const EMPTY_LIST = Uint8Array.of(0xc0);

/** How a peer ended. */
export interface PeerEnd {
  /** The reason (sent in our Disconnect unless `remoteRequested` or `NetworkError`). */
  readonly reason: DiscReason;
  /** True when the remote sent a Disconnect. */
  readonly remoteRequested: boolean;
  /** The error behind the end, if any (not set for `disconnect()` or a protocol returning). */
  readonly error?: unknown;
}

/** A subprotocol message sent or received (for the server's message events). */
export interface PeerMsgEvent {
  readonly direction: 'send' | 'receive';
  readonly protocol: string;
  readonly version: number;
  /** The code relative to the protocol. */
  readonly code: number;
  /** The payload size in bytes (uncompressed). */
  readonly size: number;
}

/** What went over one peer's connection. */
export interface PeerTraffic {
  /** Bytes read from the socket, RLPx handshake included. */
  readonly ingressBytes: number;
  /** Bytes written to the socket, RLPx handshake included. */
  readonly egressBytes: number;
  /** Subprotocol messages received. */
  readonly ingressMessages: number;
  /** Subprotocol messages sent. */
  readonly egressMessages: number;
}

/** Options of {@link Peer}. */
export interface PeerOptions {
  /** The connection, after the Hello exchange (snappy already set). The peer owns it now. */
  readonly conn: RlpxConnection;
  /** The remote's Hello. */
  readonly remoteHello: Hello;
  /** The protocols to run, from `matchProtocols`. */
  readonly matched: readonly MatchedProtocol[];
  /** True when the remote dialed us. */
  readonly inbound: boolean;
  /** Runs the ping timer and stamps messages (default: the system clock). */
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Called for every subprotocol message sent or received. */
  readonly onMsg?: (event: PeerMsgEvent) => void;
  /** The counters each matched protocol's messages go to (the server's; none by default). */
  readonly counters?: (protocol: Protocol) => MessageCounters | undefined;
}

/**
 * A peer: created by the server after Hello and the addpeer checkpoint, then {@link Peer.run}
 * once. It answers Pings, pings every 15 s (timing the Pongs: {@link Peer.rtt}), routes each inbound subprotocol message to the
 * protocol that owns its code (the read loop waits until the protocol reads it), and ends on the
 * first of: a Disconnect from the remote, a read or write failure (including 30 s of silence,
 * the connection's read idle timeout), a protocol returning or throwing, a bad message, or
 * {@link Peer.disconnect}. It then sends Disconnect (unless the remote asked, or the reason is
 * NetworkError), closes the connection and waits for its loops and every protocol's `run()`,
 * which must return once its `signal` aborts.
 */
export class Peer implements ProtocolPeer {
  readonly id: NodeId;
  readonly publicKey: Uint8Array;
  readonly name: string;
  readonly caps: readonly Cap[];
  readonly inbound: boolean;
  readonly log: Logger;
  /** The protocols this peer runs, with their offsets. */
  readonly matched: readonly MatchedProtocol[];
  readonly #conn: RlpxConnection;
  readonly #clock: Clock;
  readonly #onMsg: ((event: PeerMsgEvent) => void) | undefined;
  readonly #rws: ProtoRw[];
  readonly #controller = new AbortController();
  #end: PeerEnd | null = null;
  /** Set by {@link Peer.run}: starts the shutdown once the peer ends. */
  #ended: (() => void) | null = null;
  #pingTimer: Timer | null = null;
  /** The Ping being written, if any (one at a time: the next is scheduled once it is out). */
  #pinging: Promise<void> | null = null;
  readonly #rtt = new RttTracker();
  #started = false;
  #ingressMessages = 0;
  #egressMessages = 0;

  constructor(options: PeerOptions) {
    const { conn, remoteHello } = options;
    this.#conn = conn;
    this.id = conn.remoteId;
    this.publicKey = conn.remotePublicKey;
    this.name = remoteHello.name;
    this.caps = remoteHello.caps;
    this.inbound = options.inbound;
    this.log = options.log ?? silentLogger;
    this.matched = options.matched;
    this.#clock = options.clock ?? systemClock;
    this.#onMsg = options.onMsg;
    this.#rws = options.matched.map((m) => {
      const rw: ProtoRw = new ProtoRw(
        m,
        (code, data) => this.#write(code, data, rw),
        options.counters?.(m.protocol),
      );
      return rw;
    });
  }

  /**
   * `ip:port` of the remote end of the TCP connection. Made on each read, from the
   * connection's figures: it is rarely asked for, and every idle peer would hold the text.
   */
  get remoteAddress(): string {
    return formatAddress(this.#conn.remoteAddress, this.#conn.remotePort);
  }

  /** `ip:port` of our end of the TCP connection (made on each read, like `remoteAddress`). */
  get localAddress(): string {
    return formatAddress(this.#conn.localAddress, this.#conn.localPort);
  }

  /** What went over the connection so far (read at any time, also after the end). */
  get traffic(): PeerTraffic {
    return {
      ingressBytes: this.#conn.bytesRead,
      egressBytes: this.#conn.bytesWritten,
      ingressMessages: this.#ingressMessages,
      egressMessages: this.#egressMessages,
    };
  }

  /**
   * The round-trip time of our Pings (sent every 15 s) to their Pongs, or undefined before the
   * first Pong.
   */
  get rtt(): PeerRtt | undefined {
    return this.#rtt.rtt;
  }

  /** How the peer ended, or null while it runs. */
  get end(): PeerEnd | null {
    return this.#end;
  }

  /**
   * Asks the peer to end with `reason`; returns at once ({@link Peer.run} resolves when it is
   * done). Only the first end counts, so calling it again, or after the peer ended, does nothing.
   * @throws {RangeError} if `reason` is not a {@link DiscReason}
   */
  disconnect(reason: number): void {
    if (!isDiscReason(reason)) {
      throw new RangeError(`reason: expected a disconnect reason, got ${String(reason)}`);
    }
    this.#finish({ reason, remoteRequested: false });
  }

  /**
   * Runs the peer until it ends; resolves (never rejects) once the connection is closed, every
   * loop and protocol task has finished and no timer is left.
   * @throws {TypeError} if called twice
   */
  run(): Promise<PeerEnd> {
    if (this.#started) return Promise.reject(new TypeError('peer: run() called twice'));
    this.#started = true;
    // The read loop and the protocol runs last as long as the peer: they are awaited at the
    // shutdown rather than tracked one by one (they handle their own errors).
    let loops: Promise<void>[] = [];
    if (this.#end === null) {
      // Made at its size (a pushed or spread array keeps room for 17 or more).
      loops = [this.#readLoop().catch(this.#loopFailed)].concat(
        this.#rws.map((rw) => this.#runProtocol(rw)),
      );
      this.#schedulePing();
    }
    // A protocol's run() that threw synchronously ended the peer already.
    if (this.#end !== null) return this.#shutdown(loops);
    // Until the end, a running peer holds this promise and its resolver, not a suspended
    // async frame: every idle peer would hold that frame.
    return new Promise<PeerEnd>((resolve) => {
      this.#ended = () => resolve(Promise.resolve().then(() => this.#shutdown(loops)));
    });
  }

  /** Says goodbye, closes the connection and waits for the loops and the last Ping write. */
  async #shutdown(loops: readonly Promise<void>[]): Promise<PeerEnd> {
    const end = this.#end as PeerEnd;
    if (end.remoteRequested) this.#conn.close();
    else await sendDisconnect(this.#conn, end.reason, { clock: this.#clock });
    await Promise.all(loops);
    while (this.#pinging !== null) await this.#pinging;
    return end;
  }

  readonly #loopFailed = (err: unknown): void => {
    this.log.error('peer task failed', { error: String(err) });
  };

  /** Records the first end and starts shutting down: no more pings, protocol streams closed. */
  #finish(end: PeerEnd): void {
    if (this.#end !== null) return;
    this.#end = end;
    this.log.debug('peer ending', {
      reason: discReasonText(end.reason),
      remoteRequested: end.remoteRequested,
      ...(end.error === undefined ? {} : { error: String(end.error) }),
    });
    this.#pingTimer?.cancel();
    this.#pingTimer = null;
    for (const rw of this.#rws) rw.close();
    const { reason, remoteRequested, error } = end;
    this.#controller.abort(new PeerError(reason, undefined, { remoteRequested, cause: error }));
    this.#ended?.();
  }

  async #readLoop(): Promise<void> {
    try {
      while (this.#end === null) await this.#readOne();
    } catch (err) {
      this.#finish(
        err instanceof PeerError
          ? { reason: err.reason, remoteRequested: err.remoteRequested, error: err }
          : this.#connFailure(err),
      );
    }
  }

  /**
   * Reads and routes one message. In a call of its own so that nothing of the message outlives
   * it: an async function suspended in a loop keeps the last iteration's locals alive (V8 does
   * not clear them at an `await`), so a loop that read into a local would hold each idle peer's
   * last message (up to 16 MiB decompressed) until the next one came.
   */
  async #readOne(): Promise<void> {
    const msg = await this.#conn.readMsg();
    // The message keeps its room in the ingress budget until its protocol is done with it.
    const room = this.#conn.takeRoom();
    if (this.#end !== null) {
      room?.release();
      return;
    }
    await this.#handle(msg, room);
  }

  /** Handles `msg`; its `room` goes to the protocol stream it is delivered to, else back now. */
  async #handle(msg: RlpxMessage, room: HeldRoom | null): Promise<void> {
    const { code, data, size } = msg;
    const rw = code < BASE_PROTOCOL_LENGTH ? undefined : this.#owner(code);
    if (rw === undefined) {
      room?.release();
      await this.#handleBase(code, data);
      return;
    }
    const local = code - rw.offset;
    this.#ingressMessages++;
    rw.counters?.ingress(local, size);
    this.#emit('receive', rw, local, data.length);
    await rw.deliver({ code: local, data, size: data.length, receivedAt: this.#clock.now() }, room);
  }

  /** A base protocol message, or a code no protocol owns. */
  async #handleBase(code: number, data: Uint8Array): Promise<void> {
    if (code === BaseMsgCode.Ping) {
      await this.#writeBase(BaseMsgCode.Pong);
      return;
    }
    if (code === BaseMsgCode.Disconnect) {
      const reason = decodeDisconnect(data);
      throw new PeerError(reason, undefined, { remoteRequested: true });
    }
    if (code === BaseMsgCode.Pong) {
      this.#rtt.pongReceived(this.#clock.now());
      return;
    }
    if (code < BASE_PROTOCOL_LENGTH) return; // a late Hello, reserved codes: ignored
    throw new PeerError(DiscReason.ProtocolError, `msg code out of range: 0x${code.toString(16)}`);
  }

  /**
   * Runs `rw`'s protocol; resolves (never rejects) once it returned or threw and the peer took
   * that as its end. Not an async function: a running protocol would hold its frame.
   */
  #runProtocol(rw: ProtoRw): Promise<void> {
    let running: Promise<void>;
    try {
      running = Promise.resolve(rw.protocol.run(this, rw, { signal: this.#controller.signal }));
    } catch (err) {
      this.#protocolEnded(rw, true, err);
      return Promise.resolve();
    }
    return running.then(
      () => this.#protocolEnded(rw, false),
      (err: unknown) => this.#protocolEnded(rw, true, err),
    );
  }

  /** A protocol's run() returned (ClientQuitting) or threw (the reason its error implies). */
  #protocolEnded(rw: ProtoRw, failed: boolean, err?: unknown): void {
    try {
      if (!failed) {
        this.#finish({ reason: DiscReason.ClientQuitting, remoteRequested: false });
        return;
      }
      const { name, version } = rw.protocol;
      if (this.#end === null)
        this.log.debug('protocol failed', { protocol: `${name}/${version}`, error: String(err) });
      this.#finish({
        reason: discReasonForError(err),
        remoteRequested: err instanceof PeerError && err.remoteRequested,
        error: err,
      });
    } catch (e) {
      this.#loopFailed(e);
    }
  }

  #schedulePing(): void {
    // The peer may have ended meanwhile: a protocol's run() that threw synchronously, or a read
    // timeout while the last Ping was being written. No timer then.
    if (this.#end !== null) return;
    this.#pingTimer = this.#clock.schedule(PING_INTERVAL_MS, () => {
      this.#pingTimer = null;
      if (this.#end !== null) return;
      this.#rtt.pingSent(this.#clock.now());
      this.#pinging = this.#writeBase(BaseMsgCode.Ping)
        .then(() => {
          this.#pinging = null;
          this.#schedulePing();
        })
        .catch(this.#loopFailed);
    });
  }

  /** Writes Ping or Pong; a failure ends the peer (and is not rethrown). */
  async #writeBase(code: number): Promise<void> {
    if (this.#end !== null) return;
    await this.#write(code, EMPTY_LIST).catch(() => {});
  }

  /** The protocol stream that owns wire code `code`, if any. */
  #owner(code: number): ProtoRw | undefined {
    for (const rw of this.#rws) if (rw.owns(code)) return rw;
    return undefined;
  }

  /**
   * Writes one message (of protocol stream `rw`, or of the base protocol); a connection failure
   * ends the peer (NetworkError) and is rethrown.
   */
  async #write(code: number, data: Uint8Array, rw?: ProtoRw): Promise<void> {
    let wireSize: number;
    try {
      wireSize = await this.#conn.writeMsg(code, data);
    } catch (err) {
      // A RangeError (an oversize payload) is the caller's bug: the connection is fine.
      if (err instanceof RlpxError) this.#finish(this.#connFailure(err));
      throw err;
    }
    if (rw === undefined) return;
    const local = code - rw.offset;
    this.#egressMessages++;
    rw.counters?.egress(local, wireSize);
    this.#emit('send', rw, local, data.length);
  }

  /**
   * The end a failed read or write means, judged by what closed the connection (a write may
   * notice first that a read timed out): the connection's read idle timeout is `ReadTimeout`
   * (geth reports a network error here; the reason is more telling, and it is not announced
   * either way since the connection is already gone); every other failure is `NetworkError`.
   */
  #connFailure(err: unknown): PeerEnd {
    const cause = this.#conn.closeReason ?? err;
    const reason = this.#conn.readTimedOut ? DiscReason.ReadTimeout : DiscReason.NetworkError;
    return { reason, remoteRequested: false, error: cause };
  }

  #emit(direction: 'send' | 'receive', rw: ProtoRw, code: number, size: number): void {
    if (this.#onMsg === undefined) return;
    const { name: protocol, version } = rw.protocol;
    this.#onMsg({ direction, protocol, version, code, size });
  }
}

function formatAddress(ip: string | undefined, port: number | undefined): string {
  const host = ip === undefined ? '?' : ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${port ?? 0}`;
}
