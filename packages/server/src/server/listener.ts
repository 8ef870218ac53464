/**
 * The TCP listener in front of the server: it admits an inbound socket only while a pending
 * handshake slot is free and the remote IP passes NetRestrict and the inbound throttle; every
 * other socket is closed at once, before any handshake (geth `listenLoop`, `checkInboundConn`).
 * @module
 */

import { once } from 'node:events';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { type Logger, TaskGroup } from '@ethp2p/base';
import { normalizeIp } from '@ethp2p/enode';
import type { InboundThrottle } from './inbound-throttle.ts';

/** Options of {@link Listener.open}. */
export interface ListenerOptions {
  /** Local IP to bind. */
  readonly host: string;
  /** TCP port; 0 lets the OS pick one. */
  readonly port: number;
  /** Most admitted sockets whose handling has not finished yet. */
  readonly maxPending: number;
  /** The inbound throttle (normally an {@link InboundThrottle}). */
  readonly throttle: Pick<InboundThrottle, 'allow'>;
  /** NetRestrict: whether a remote IP may connect at all (default: every IP). */
  readonly allowIp?: (ip: string) => boolean;
  readonly logger: Logger;
  /**
   * Takes over an admitted socket; its slot is freed when the promise settles. It must not
   * reject (failures are handled inside); a rejection is logged.
   */
  readonly onConnection: (socket: Socket, remoteIp: string) => Promise<void>;
}

/** Why an inbound socket was closed before its handshake. */
export type InboundRejection = 'pending limit' | 'netrestrict' | 'throttled' | 'no address';

/**
 * A listening TCP socket and the admission rules in front of it. Owned by the server; the
 * handlers it starts are tracked, and {@link Listener.close} waits for them.
 */
export class Listener {
  readonly #server: NetServer;
  readonly #options: ListenerOptions;
  readonly #handlers = new TaskGroup();
  #closed = false;
  #serverClosed: Promise<void> | undefined;

  private constructor(server: NetServer, options: ListenerOptions) {
    this.#server = server;
    this.#options = options;
    server.on('connection', (socket) => this.#onSocket(socket));
    server.on('error', (err) => options.logger.warn('listener error', { err: String(err) }));
  }

  /**
   * Binds `host:port` and starts admitting connections.
   * @throws {Error} the bind error (for example `EADDRINUSE`)
   */
  static async open(options: ListenerOptions): Promise<Listener> {
    const server = createServer();
    const listening = once(server, 'listening');
    const failed = once(server, 'error').then(([err]) => {
      throw err;
    });
    server.listen({ host: options.host, port: options.port });
    try {
      await Promise.race([listening, failed]);
    } catch (err) {
      server.close();
      throw err;
    }
    failed.catch(() => {});
    return new Listener(server, options);
  }

  /** The bound port (the OS's pick when 0 was asked for). */
  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** The bound IP address. */
  get host(): string {
    const address = this.#server.address();
    return typeof address === 'object' && address !== null ? address.address : this.#options.host;
  }

  /** How many admitted sockets are being handled. */
  get pending(): number {
    return this.#handlers.size;
  }

  /**
   * Stops accepting, then waits for the handlers of admitted sockets to finish (the owner
   * aborts them) and for the listening socket to close. Idempotent.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#serverClosed = new Promise((resolve) => this.#server.close(() => resolve()));
    }
    await this.#handlers.wait();
  }

  /**
   * Resolves once the listening socket is closed and every socket it accepted has closed too
   * (those the owner took over included). Only after {@link Listener.close}.
   */
  async closed(): Promise<void> {
    await this.#serverClosed;
  }

  /** Admission: pending limit, then NetRestrict, then the throttle (geth's order). */
  #admit(socket: Socket): { ip: string } | { rejected: InboundRejection } {
    if (this.#closed || this.#handlers.size >= this.#options.maxPending) {
      return { rejected: 'pending limit' };
    }
    const raw = socket.remoteAddress;
    const ip = raw === undefined ? undefined : normalizeIp(raw);
    if (ip === undefined) return { rejected: 'no address' };
    if (this.#options.allowIp !== undefined && !this.#options.allowIp(ip)) {
      return { rejected: 'netrestrict' };
    }
    if (!this.#options.throttle.allow(ip)) return { rejected: 'throttled' };
    return { ip };
  }

  #onSocket(socket: Socket): void {
    const verdict = this.#admit(socket);
    if ('rejected' in verdict) {
      this.#reject(socket, verdict.rejected);
      return;
    }
    void this.#handlers.spawn(
      this.#options.onConnection(socket, verdict.ip).catch((err: unknown) => {
        socket.destroy();
        this.#options.logger.warn('inbound handler failed', { err: String(err) });
      }),
    );
  }

  #reject(socket: Socket, why: InboundRejection): void {
    this.#options.logger.debug('rejected inbound connection', {
      addr: `${socket.remoteAddress}:${socket.remotePort}`,
      why,
    });
    socket.on('error', () => {});
    socket.destroy();
  }
}
