/**
 * The {@link DatagramSocket} over real UDP (`node:dgram`).
 * @module
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import { checkPort, checkPositiveInt, defaultLogger, type Logger } from '@ethp2p/base';
import { MAX_DATAGRAM_SIZE_BYTES } from './constants.ts';
import {
  checkDestination,
  type DatagramAddress,
  type DatagramHandler,
  type DatagramSocket,
  unmapAddress,
} from './datagram.ts';
import { TransportError } from './errors.ts';

/** Options of {@link bindUdpSocket}. */
export interface UdpSocketOptions {
  /** Local IP address to bind; `'::'` binds dual-stack. Default `'0.0.0.0'`. */
  address?: string;
  /** Local port; 0 (the default) lets the OS pick one. */
  port?: number;
  /** Datagrams longer than this are dropped before the handler. Default 1280 (see MAX_DATAGRAM_SIZE_BYTES). */
  maxDatagramSize?: number;
  /** Receives send failures and socket errors. Default {@link defaultLogger}. */
  logger?: Logger;
}

/** Counters of a {@link UdpSocket}, for metrics and tests. */
export interface UdpSocketStats {
  /** Datagrams handed to the OS. */
  sent: number;
  /** Sends the OS reported as failed. */
  sendErrors: number;
  /** Datagrams passed to the handler. */
  received: number;
  /** Datagrams dropped for exceeding `maxDatagramSize`. */
  oversize: number;
  /** Socket `error` events after bind, and exceptions thrown by the handler. */
  errors: number;
}

/** A bound UDP socket: a {@link DatagramSocket} plus counters. */
export interface UdpSocket extends DatagramSocket {
  /** Live counters; read, never write. */
  readonly stats: Readonly<UdpSocketStats>;
}

/**
 * Binds a UDP socket. A `'::'` or other IPv6 address gives a dual-stack IPv6 socket that can
 * also send to and receive from IPv4 peers; sources are reported with IPv4-mapped addresses
 * unwrapped (`::ffff:1.2.3.4` → `1.2.3.4`, as geth does).
 * @throws {TransportError} `BIND_FAILED` if the address is not an IP literal, not local, or the
 *   port is taken
 * @throws {RangeError} if `port` or `maxDatagramSize` is out of range
 * @example
 * const socket = await bindUdpSocket({ address: '127.0.0.1' });
 * socket.onMessage((data, from) => console.log(data.length, from));
 * await socket.close();
 */
export async function bindUdpSocket(options: UdpSocketOptions = {}): Promise<UdpSocket> {
  const { address = '0.0.0.0', port = 0, maxDatagramSize = MAX_DATAGRAM_SIZE_BYTES } = options;
  checkPort('port', port);
  checkPositiveInt('maxDatagramSize', maxDatagramSize);
  const family = isIP(address);
  if (family === 0) {
    // Never resolve names: binding is local and tests must not touch DNS.
    throw new TransportError('BIND_FAILED', `bind ${address}: not an ip address`);
  }
  const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: false });
  await listen(socket, address, port);
  const logger = options.logger ?? defaultLogger;
  return new NodeUdpSocket(socket, family === 6 ? 6 : 4, maxDatagramSize, logger);
}

function listen(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.off('listening', onListening);
      const error = new TransportError('BIND_FAILED', `bind ${address}:${port}: ${err.message}`, {
        cause: err,
      });
      // Release the handle before reporting, so a failed bind leaves nothing behind.
      closeHandle(socket).then(
        () => reject(error),
        () => reject(error),
      );
    };
    const onListening = (): void => {
      socket.off('error', onError);
      resolve();
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind(port, address);
  });
}

/**
 * Closes a dgram socket and waits until libuv released its handle. The `close` event comes
 * before that (the handle is freed in the loop's close phase), so two turns of the check phase
 * are awaited: the second runs after at least one close phase.
 */
async function closeHandle(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
  await setImmediate();
  await setImmediate();
}

class NodeUdpSocket implements UdpSocket {
  readonly local: DatagramAddress;
  readonly stats: UdpSocketStats = { sent: 0, sendErrors: 0, received: 0, oversize: 0, errors: 0 };
  readonly #socket: Socket;
  readonly #family: 4 | 6;
  readonly #maxSize: number;
  readonly #logger: Logger;
  #handler: DatagramHandler | undefined;
  #closed: Promise<void> | undefined;

  constructor(socket: Socket, family: 4 | 6, maxSize: number, logger: Logger) {
    this.#socket = socket;
    this.#family = family;
    this.#maxSize = maxSize;
    this.#logger = logger;
    const bound = socket.address();
    this.local = { address: unmapAddress(bound.address), port: bound.port };
    socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo));
    socket.on('error', (err) => {
      this.stats.errors++;
      this.#logger.warn('udp socket error', { local: this.local, error: err.message });
    });
  }

  send(data: Uint8Array, to: DatagramAddress): void {
    checkDestination(to);
    if (this.#closed !== undefined) return;
    // A dual-stack IPv6 socket sends to IPv4 peers through their mapped address.
    const host = this.#family === 6 && isIP(to.address) === 4 ? `::ffff:${to.address}` : to.address;
    this.stats.sent++;
    // Copied so the caller may reuse its buffer as soon as send returns.
    this.#socket.send(Buffer.from(data), to.port, host, (err) => {
      if (err === null || err === undefined) return;
      this.stats.sendErrors++;
      this.#logger.debug('udp send failed', { to, error: err.message });
    });
  }

  onMessage(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  close(): Promise<void> {
    this.#handler = undefined;
    this.#closed ??= closeHandle(this.#socket);
    return this.#closed;
  }

  #receive(msg: Buffer, rinfo: RemoteInfo): void {
    if (msg.byteLength > this.#maxSize) {
      this.stats.oversize++;
      this.#logger.debug('udp datagram too large', { from: rinfo.address, size: msg.byteLength });
      return;
    }
    const handler = this.#handler;
    if (handler === undefined) return;
    this.stats.received++;
    const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    try {
      handler(data, { address: unmapAddress(rinfo.address), port: rinfo.port });
    } catch (err) {
      this.stats.errors++;
      this.#logger.error('udp message handler threw', { error: String(err) });
    }
  }
}
