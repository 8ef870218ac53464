/**
 * The datagram socket seam of discv4: the minimum over `node:dgram` (send, receive, close) so the
 * service runs the same over real UDP ({@link bindUdpSocket}) and over an in-memory network
 * ({@link MemoryNetwork}).
 * @module
 */
import { isIP } from 'node:net';
import { normalizeIp } from '@ethp2p/enode';

/** A UDP endpoint: an IP address in text form and a port. */
export interface DatagramAddress {
  /** IPv4 dotted quad or IPv6 text; IPv4-mapped IPv6 is always reported as plain IPv4. */
  readonly address: string;
  /** UDP port, 0–65535. */
  readonly port: number;
}

/** Receives one datagram with its source address. */
export type DatagramHandler = (data: Uint8Array, from: DatagramAddress) => void;

/**
 * A bound datagram socket. It has one owner (the discovery service), which installs a single
 * handler with {@link DatagramSocket.onMessage}. Nothing is ever thrown asynchronously: send
 * failures, socket errors and handler exceptions are counted and logged.
 *
 * Every implementation keeps this contract (checked by the shared compliance suite,
 * `test/transport/datagram-compliance.ts`):
 * - delivery is asynchronous (never inside `send`), as a copy of the bytes, with the sender's
 *   `local` address as the source; datagrams from one socket to another arrive in send order
 *   (UDP on loopback; UDP elsewhere may lose or reorder them)
 * - datagrams longer than `MAX_DATAGRAM_SIZE_BYTES` (1280, or `bindUdpSocket`'s
 *   `maxDatagramSize`) never reach the handler
 * - a handler that throws does not stop the datagrams after it
 * - after `close()` is called the handler is never called again, even for datagrams already in
 *   flight, and `send` does nothing (a bad destination still throws)
 */
export interface DatagramSocket {
  /** The bound address; the port is the one assigned when binding to port 0. */
  readonly local: DatagramAddress;
  /**
   * `true` for a socket whose datagrams never leave the process (a {@link MemoryNetwork}'s, or a
   * simulator's): only such a socket accepts the simulated identity. Absent on real sockets.
   */
  readonly inMemory?: boolean;
  /**
   * Sends one datagram, fire and forget. The bytes are not retained after the call returns.
   * Does nothing once the socket is closed.
   * @throws {TypeError} if `to.address` is not an IP address
   * @throws {RangeError} if `to.port` is not an integer in 1–65535
   */
  send(data: Uint8Array, to: DatagramAddress): void;
  /** Installs the handler for incoming datagrams, replacing any previous one. */
  onMessage(handler: DatagramHandler): void;
  /** Closes the socket. Idempotent; once it resolves no handle or timer of the socket is left. */
  close(): Promise<void>;
}

/**
 * The canonical text of an IP address: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes plain IPv4
 * and IPv6 is written as RFC 5952. Text that is not a plain IP (a zone ID) comes back unchanged.
 */
export function unmapAddress(address: string): string {
  // The kernel reports IPv4 sources as canonical dotted quads: only IPv6 text needs the work.
  if (!address.includes(':')) return address;
  return normalizeIp(address) ?? address;
}

/** Validates a destination as {@link DatagramSocket.send} documents. */
export function checkDestination(to: DatagramAddress): void {
  if (isIP(to.address) === 0) {
    throw new TypeError(`to.address: expected an IP address, got ${JSON.stringify(to.address)}`);
  }
  if (!Number.isInteger(to.port) || to.port < 1 || to.port > 65535) {
    throw new RangeError(`to.port: expected an integer in 1-65535, got ${to.port}`);
  }
}
