/**
 * One UDP request and its answer, as NAT-PMP and STUN need: a fresh socket on an OS-picked port,
 * retransmissions on the injected clock (RFC 6886 §3.1: 250 ms, doubling), a deadline, and
 * only datagrams from the server considered.
 * @module
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Clock, Timer } from '@ethp2p/base';
import { NatError } from './errors.ts';

/** First retransmission delay (RFC 6886 §3.1; RFC 5389 §7.2.1 uses 500 ms, close enough). */
export const FIRST_RETRANSMIT_MS = 250;

/** What {@link udpExchange} sends and how it reads the answer. */
export interface UdpExchange<T> {
  readonly host: string;
  readonly port: number;
  readonly request: Uint8Array;
  /**
   * Decodes a datagram from the server: a value ends the exchange, undefined ignores it (not
   * ours), a throw ends it with that error.
   */
  readonly decode: (msg: Uint8Array) => T | undefined;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Name of the server in messages: `nat-pmp gateway 192.168.1.1:5351`. */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  /** Consider datagrams from any source (SSDP answers come from the device, not the group). */
  readonly fromAnySource?: boolean;
}

/**
 * Sends `request` until `decode` accepts an answer or `timeoutMs` passes.
 * @throws {NatError} TIMEOUT, UNAVAILABLE (socket failure), or what `decode` throws
 */
export function udpExchange<T>(x: UdpExchange<T>): Promise<T> {
  x.signal?.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const socket = createSocket(isIPv6(x.host) ? 'udp6' : 'udp4');
    const timers: Timer[] = [];
    let done = false;
    const finish = (err: unknown, value?: T): void => {
      if (done) return;
      done = true;
      for (const t of timers) t.cancel();
      x.signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (err === undefined) resolve(value as T);
      else reject(err);
    };
    const onAbort = (): void => finish(x.signal?.reason);
    const send = (delay: number): void => {
      if (done) return;
      socket.send(x.request, x.port, x.host, (err) => {
        if (err != null)
          finish(new NatError('UNAVAILABLE', `${x.what}: ${err.message}`, { cause: err }));
      });
      timers.push(x.clock.schedule(delay, () => send(delay * 2)));
    };
    socket.on('error', (err) => {
      finish(new NatError('UNAVAILABLE', `${x.what}: ${err.message}`, { cause: err }));
    });
    socket.on('message', (msg: Buffer, from: RemoteInfo) => {
      if (x.fromAnySource !== true && (from.port !== x.port || !sameHost(from.address, x.host))) {
        return;
      }
      try {
        const value = x.decode(new Uint8Array(msg));
        if (value !== undefined) finish(undefined, value);
      } catch (err) {
        finish(err);
      }
    });
    x.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      x.clock.schedule(x.timeoutMs, () => {
        finish(new NatError('TIMEOUT', `${x.what} did not answer within ${x.timeoutMs} ms`));
      }),
    );
    socket.bind(0, () => send(FIRST_RETRANSMIT_MS));
  });
}

function sameHost(a: string, b: string): boolean {
  return a === b || a === `::ffff:${b}` || b === `::ffff:${a}`;
}
