/**
 * The TCP listener in front of the server: it admits an inbound socket only if the remote IP
 * is not banned, passes NetRestrict and the inbound throttle and a pending handshake slot is free for it (see
 * {@link PendingSlots}: a cap per IP, an idle-read timeout, eviction of a stalled handshake for a
 * new IP); every other socket is closed at once, before any handshake (geth `listenLoop`,
 * `checkInboundConn`). Each refusal is counted.
 * @module
 */

import { once } from 'node:events';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { type Clock, type Logger, systemClock, TaskGroup } from '@ethp2p/base';
import { normalizeIp } from '@ethp2p/enode';
import type { InboundThrottle } from './inbound-throttle.ts';
import { PendingSlots } from './pending-slots.ts';

/** Options of {@link Listener.open}. */
export interface ListenerOptions {
  /** Local IP to bind. */
  readonly host: string;
  /** TCP port; 0 lets the OS pick one. */
  readonly port: number;
  /** Most admitted sockets whose handshake has not finished yet. */
  readonly maxPending: number;
  /** Most of them from one IP, loopback and LAN included (default: `maxPending`). */
  readonly maxPendingPerIp?: number;
  /**
   * A pending socket that reads nothing for this long is closed, in ms (default: never; the
   * handshake's own timeout still applies).
   */
  readonly idleTimeoutMs?: number;
  /** Runs the idle-read timers (default: the system clock). */
  readonly clock?: Clock;
  /** The inbound throttle (normally an {@link InboundThrottle}). */
  readonly throttle: Pick<InboundThrottle, 'allow'>;
  /**
   * Whether a remote IP is banned: its socket is closed before anything is read (default: none).
   * Checked first, right after the address is known: it is the cheapest check.
   */
  readonly isBannedIp?: (ip: string) => boolean;
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
export type InboundRejection =
  | 'pendingLimit'
  | 'ipPendingLimit'
  | 'netRestrict'
  | 'throttled'
  | 'noAddress'
  | 'banned';

/** The listener's counters, since it opened. */
export interface InboundMetrics {
  /** Sockets admitted to a pending slot. */
  readonly accepted: number;
  /** Sockets closed before any handshake, by reason. */
  readonly refused: Readonly<Record<InboundRejection, number>>;
  /** Pending sockets closed to make room for a socket from an IP with none pending. */
  readonly evicted: number;
  /** Pending sockets closed because they read nothing for the idle timeout. */
  readonly idleTimeouts: number;
  /** Sockets holding a pending slot now. */
  readonly pending: number;
}

/**
 * A listening TCP socket and the admission rules in front of it. Owned by the server; the
 * handlers it starts are tracked, and {@link Listener.close} waits for them.
 */
export class Listener {
  readonly #server: NetServer;
  readonly #options: ListenerOptions;
  readonly #handlers = new TaskGroup();
  readonly #slots: PendingSlots;
  readonly #refused: Record<InboundRejection, number> = {
    pendingLimit: 0,
    ipPendingLimit: 0,
    netRestrict: 0,
    throttled: 0,
    noAddress: 0,
    banned: 0,
  };
  #accepted = 0;
  #closed = false;
  #serverClosed: Promise<void> | undefined;

  private constructor(server: NetServer, options: ListenerOptions) {
    this.#server = server;
    this.#options = options;
    this.#slots = new PendingSlots({
      maxPending: options.maxPending,
      maxPendingPerIp: options.maxPendingPerIp ?? options.maxPending,
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      clock: options.clock ?? systemClock,
    });
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

  /** A snapshot of the counters. */
  get metrics(): InboundMetrics {
    return {
      accepted: this.#accepted,
      refused: { ...this.#refused },
      ...this.#slots.counts(),
      pending: this.#slots.size,
    };
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

  /**
   * Admission: the ban list, then the pending slots (geth checks its pending limit first; here the slot depends on
   * the IP: its own cap, and eviction for an IP with none pending), then NetRestrict, then the
   * throttle. A socket that passes takes its slot.
   */
  #admit(socket: Socket): { ip: string } | { rejected: InboundRejection } {
    if (this.#closed) return { rejected: 'pendingLimit' };
    const raw = socket.remoteAddress;
    const ip = raw === undefined ? undefined : normalizeIp(raw);
    if (ip === undefined) return { rejected: 'noAddress' };
    if (this.#options.isBannedIp?.(ip) === true) return { rejected: 'banned' };
    const full = this.#slots.check(ip);
    if (full !== undefined) return { rejected: full };
    if (this.#options.allowIp !== undefined && !this.#options.allowIp(ip)) {
      return { rejected: 'netRestrict' };
    }
    if (!this.#options.throttle.allow(ip)) return { rejected: 'throttled' };
    this.#slots.take(socket, ip);
    return { ip };
  }

  #onSocket(socket: Socket): void {
    const verdict = this.#admit(socket);
    if ('rejected' in verdict) {
      this.#refused[verdict.rejected]++;
      this.#reject(socket, verdict.rejected);
      return;
    }
    this.#accepted++;
    void this.#handlers.spawn(
      this.#options
        .onConnection(socket, verdict.ip)
        .catch((err: unknown) => {
          socket.destroy();
          this.#options.logger.warn('inbound handler failed', { err: String(err) });
        })
        .finally(() => this.#slots.release(socket)),
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
