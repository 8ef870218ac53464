/**
 * Loopback fixtures for the connection tests: a TCP listener on 127.0.0.1:0 that hands out its
 * inbound sockets, and a connected initiator/recipient pair.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import {
  accept,
  connect,
  type RlpxConnection,
  type RlpxConnectionOptions,
} from '../../src/index.ts';

/** A listener whose inbound sockets are taken with {@link Listener.next}. */
export interface Listener {
  readonly port: number;
  next(): Promise<Socket>;
  /** Stops listening and destroys sockets nobody took; taken sockets are left alone. */
  close(): void;
}

/** Listens on 127.0.0.1:0. */
export async function listen(): Promise<Listener> {
  const queued: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    const waiter = waiting.shift();
    if (waiter) waiter(socket);
    else queued.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening', { signal: AbortSignal.timeout(10_000) });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    next: () => {
      const s = queued.shift();
      return s ? Promise.resolve(s) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      for (const s of queued) s.destroy();
      server.close();
    },
  };
}

/** Two connected peers: `initiator` dialed `recipient` over loopback. */
export interface Pair {
  readonly initiator: RlpxConnection;
  readonly recipient: RlpxConnection;
  /** The raw socket under `recipient`, for tests that write to or inspect the wire. */
  readonly recipientSocket: Socket;
  readonly initiatorKey: Uint8Array;
  readonly recipientKey: Uint8Array;
}

/**
 * Pairs a test file opens, closed after each test: `track(pair())` keeps both ends, and
 * `closeAll` (for `afterEach`) closes every end kept so far.
 */
export function pairTracker(): {
  track(p: Promise<Pair>): Promise<Pair>;
  closeAll(): void;
} {
  const open: RlpxConnection[] = [];
  return {
    async track(p) {
      const result = await p;
      open.push(result.initiator, result.recipient);
      return result;
    },
    closeAll() {
      for (const c of open.splice(0)) c.close();
    },
  };
}

/** Dials a fresh listener and returns both ends; closes the listener. */
export async function pair(
  initiatorOptions: RlpxConnectionOptions = {},
  recipientOptions: RlpxConnectionOptions = {},
): Promise<Pair> {
  const listener = await listen();
  const initiatorKey = generatePrivateKey();
  const recipientKey = generatePrivateKey();
  const signal = AbortSignal.timeout(10_000);
  let recipientSocket: Socket | undefined;
  const [initiator, recipient] = await Promise.all([
    connect('127.0.0.1', listener.port, publicKey(recipientKey), {
      ...initiatorOptions,
      privateKey: initiatorKey,
      signal,
    }),
    listener.next().then((s) => {
      recipientSocket = s;
      return accept(s, { ...recipientOptions, privateKey: recipientKey, signal });
    }),
  ]);
  listener.close();
  if (recipientSocket === undefined) throw new Error('no inbound socket');
  return { initiator, recipient, recipientSocket, initiatorKey, recipientKey };
}

/**
 * Resolves when `socket` has emitted `close` (at once if it already has). It drains what is
 * left to read first: a paused socket never sees the peer's FIN otherwise.
 */
export async function closed(socket: Socket): Promise<void> {
  if (socket.closed) return;
  socket.resume();
  await once(socket, 'close', { signal: AbortSignal.timeout(10_000) });
}

/** `n` bytes of a pattern that depends on `seed`, so mixed-up messages are caught. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}
