/**
 * A transparent TCP relay on 127.0.0.1:0 that counts the bytes it forwards each way. RLPx is
 * encrypted, so the relay cannot read messages; it shows that one side answered the other
 * (a Ping frame going one way, a frame coming back) where neither implementation reports Pong.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { within } from '../../../rlpx/test/helpers/ethereumjs.ts';

/** Which way bytes went: from the dialer to the target, or back. */
export type RelayDirection = 'toTarget' | 'fromTarget';

/** A relay in front of one target port. */
export class TcpRelay {
  readonly #server: Server;
  readonly #targetPort: number;
  readonly #sockets = new Set<Socket>();
  readonly #bytes: Record<RelayDirection, number> = { toTarget: 0, fromTarget: 0 };
  readonly #waiters = new Set<() => void>();

  private constructor(server: Server, targetPort: number) {
    this.#server = server;
    this.#targetPort = targetPort;
    server.on('connection', (socket) => this.#relay(socket));
  }

  /** Listens on 127.0.0.1:0 and forwards every connection to `127.0.0.1:targetPort`. */
  static async open(targetPort: number): Promise<TcpRelay> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new TcpRelay(server, targetPort);
  }

  /** The relay's own port: dial this instead of the target. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('relay: not listening');
    return address.port;
  }

  /** Bytes forwarded so far in `direction`. */
  bytes(direction: RelayDirection): number {
    return this.#bytes[direction];
  }

  /** Resolves once at least `total` bytes went `direction`; rejects when `signal` aborts. */
  reach(direction: RelayDirection, total: number, signal: AbortSignal): Promise<void> {
    const reached = new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.#bytes[direction] < total) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
    return within(reached, signal);
  }

  /** Destroys every relayed socket and closes the listener. */
  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#waiters.clear();
    if (this.#server.listening) {
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    }
  }

  #relay(inbound: Socket): void {
    const outbound = tcpConnect({ host: '127.0.0.1', port: this.#targetPort });
    for (const [from, to, direction] of [
      [inbound, outbound, 'toTarget'],
      [outbound, inbound, 'fromTarget'],
    ] as const) {
      this.#sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        this.#bytes[direction] += chunk.length;
        to.write(chunk);
        for (const check of [...this.#waiters]) check();
      });
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.#sockets.delete(from);
        to.destroy();
      });
    }
  }
}
