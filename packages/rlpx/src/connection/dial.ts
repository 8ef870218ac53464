/**
 * Entry points that produce an {@link RlpxConnection}: {@link connect} dials and runs the
 * initiator handshake; {@link accept} runs the recipient handshake on an inbound socket (the
 * server's listener calls it).
 * @module
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { childSignal } from '@ethp2p/base';
import { RlpxError } from '../errors.ts';
import { RlpxConnection, type RlpxConnectionOptions } from './connection.ts';
import {
  type HandshakeOptions,
  type HandshakeResult,
  initiatorHandshake,
  recipientHandshake,
} from './handshake-io.ts';

/** Options of {@link connect}; the signal is required (it bounds the TCP connect too). */
export interface ConnectOptions extends HandshakeOptions, RlpxConnectionOptions {
  /** Aborts the dial and the handshake. */
  readonly signal: AbortSignal;
}

/** Options of {@link accept}. */
export interface AcceptOptions extends HandshakeOptions, RlpxConnectionOptions {}

/** Resolves once `socket` is connected; rejects (and destroys it) on error or abort. */
function connected(socket: Socket, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: unknown): void => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else {
        socket.destroy();
        reject(err);
      }
    };
    const onConnect = (): void => done();
    const onError = (err: Error): void =>
      done(new RlpxError('CLOSED', `tcp connect failed: ${err.message}`, { cause: err }));
    const onAbort = (): void => done(signal.reason);
    socket.once('connect', onConnect);
    socket.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A no-op `'error'` listener: while it is attached, errors surface through the reads. */
const guard = (): void => {};

/**
 * Runs `work` with {@link guard} on the socket, then hands the socket to a new connection in
 * the same tick (its own `'error'` listener takes over).
 */
async function establish(
  socket: Socket,
  options: RlpxConnectionOptions,
  work: () => Promise<HandshakeResult>,
): Promise<RlpxConnection> {
  socket.on('error', guard);
  try {
    return new RlpxConnection(socket, await work(), options);
  } finally {
    socket.off('error', guard);
  }
}

/**
 * Dials `host:port` over TCP (Nagle off) and runs the initiator handshake with the node whose
 * 64-byte public key is `remotePublicKey`.
 * @throws {RlpxError} `CLOSED` if the TCP connect fails, a handshake code (`BAD_MAC` when the
 * peer does not hold `remotePublicKey`), `TIMEOUT`; or `signal.reason` on abort. The socket is
 * destroyed on every failure.
 * @example
 * ```ts
 * const conn = await connect('127.0.0.1', 30303, remoteKey, {
 *   privateKey,
 *   signal: AbortSignal.timeout(10_000),
 * });
 * ```
 */
export async function connect(
  host: string,
  port: number,
  remotePublicKey: Uint8Array,
  options: ConnectOptions,
): Promise<RlpxConnection> {
  options.signal.throwIfAborted();
  const socket = tcpConnect({ host, port });
  socket.setNoDelay(true);
  // The caller's signal is often shared by many dials: wait on a child of it.
  const dialing = childSignal(options.signal);
  try {
    return await establish(socket, options, async () => {
      await connected(socket, dialing.signal);
      return initiatorHandshake(socket, { ...options, remotePublicKey });
    });
  } finally {
    dialing.release();
  }
}

/**
 * Runs the recipient handshake on an inbound `socket` (Nagle is switched off).
 * @throws {RlpxError} `MESSAGE_TOO_BIG`, `BAD_HANDSHAKE`, `BAD_SIGNATURE`, an ECIES code,
 * `TIMEOUT`, `CLOSED`; or the signal's reason. The socket is destroyed on every failure.
 * @example
 * ```ts
 * net.createServer((socket) => {
 *   accept(socket, { privateKey }).then(serve, (err) => log(err));
 * });
 * ```
 */
export function accept(socket: Socket, options: AcceptOptions): Promise<RlpxConnection> {
  socket.setNoDelay(true);
  return establish(socket, options, () => recipientHandshake(socket, options));
}
