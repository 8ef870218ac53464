/**
 * One UDP socket for discv4 and discv5, as go-ethereum runs them (`p2p/server.go`
 * `setupDiscovery`, `p2p/discover/v4_udp.go` `Config.Unhandled`): discv4 owns the bound socket
 * and reads every datagram; what it cannot recognise as its own goes to a
 * {@link SharedDatagramSocket}, the second protocol's view of the same socket.
 * @module
 */
import type { DatagramAddress, DatagramHandler, DatagramSocket } from './datagram.ts';
import { checkDestination } from './datagram.ts';

/** Counters of a {@link SharedDatagramSocket}. */
export interface SharedDatagramSocketStats {
  /** Datagrams handed to the view's handler. */
  readonly delivered: number;
  /** Datagrams that reached the view with no handler installed, or after it was closed. */
  readonly dropped: number;
  /** Datagrams whose handler threw (counted, never rethrown). */
  readonly handlerErrors: number;
}

/**
 * A view of a socket owned by another service (geth `sharedUDPConn`): it sends through that
 * socket and receives only the datagrams the owner passes to {@link SharedDatagramSocket.deliver},
 * which is what `DiscoveryV4`'s `unhandled` option takes. It keeps the {@link DatagramSocket}
 * contract; closing the view stops its deliveries and sends and leaves the shared socket open,
 * since its owner closes it.
 *
 * @example
 * ```ts
 * const socket = await bindUdpSocket({ port: 30303 });
 * const v5Socket = new SharedDatagramSocket(socket);
 * const v4 = new DiscoveryV4({ ...options, socket, unhandled: v5Socket.deliver });
 * ```
 */
export class SharedDatagramSocket implements DatagramSocket {
  readonly #shared: DatagramSocket;
  #handler: DatagramHandler | undefined;
  #closed = false;
  #delivered = 0;
  #dropped = 0;
  #handlerErrors = 0;

  constructor(shared: DatagramSocket) {
    this.#shared = shared;
  }

  /** The shared socket's address. */
  get local(): DatagramAddress {
    return this.#shared.local;
  }

  /** A snapshot of the counters. */
  get stats(): SharedDatagramSocketStats {
    return {
      delivered: this.#delivered,
      dropped: this.#dropped,
      handlerErrors: this.#handlerErrors,
    };
  }

  /** Sends through the shared socket; does nothing once the view is closed. */
  send(data: Uint8Array, to: DatagramAddress): void {
    checkDestination(to);
    if (this.#closed) return;
    this.#shared.send(data, to);
  }

  onMessage(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  /** Closes the view only; the shared socket stays with its owner. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#handler = undefined;
    return Promise.resolve();
  }

  /**
   * Passes one datagram the owner did not handle to the view's handler. Never throws: without
   * a handler, or after `close()`, the datagram is dropped and counted.
   */
  readonly deliver: DatagramHandler = (data, from) => {
    const handler = this.#handler;
    if (this.#closed || handler === undefined) {
      this.#dropped++;
      return;
    }
    this.#delivered++;
    try {
      handler(data, from);
    } catch {
      this.#handlerErrors++;
    }
  };
}
