/**
 * Slowloris: TCP connections that connect and send nothing, each reopened from its loopback
 * address (127.0.0.2 and up: Linux routes all of 127/8 to lo) as soon as the target closes it.
 * @module
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/** Stalled connections to one port; at most `maxOpenings` in all, so the loop ends by itself. */
export class Stallers {
  readonly #port: number;
  readonly #maxOpenings: number;
  readonly #open = new Set<Socket>();
  #openings = 0;
  #stopped = false;

  /** `perAddress` connections from each of `addresses` loopback addresses from 127.0.0.2 on. */
  constructor(port: number, addresses: number, perAddress: number, maxOpenings = 100_000) {
    this.#port = port;
    this.#maxOpenings = maxOpenings;
    for (let a = 0; a < addresses; a++) {
      for (let i = 0; i < perAddress; i++) this.#connect(`127.0.0.${2 + a}`);
    }
  }

  /** Connections opened so far, reopenings included. */
  get openings(): number {
    return this.#openings;
  }

  #connect(localAddress: string): void {
    if (this.#stopped || this.#openings >= this.#maxOpenings) return;
    this.#openings++;
    const socket = connect({ host: '127.0.0.1', port: this.#port, localAddress });
    this.#open.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#open.delete(socket);
      this.#connect(localAddress);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const sockets = [...this.#open];
    const closed = sockets.map((s) => (s.closed ? undefined : once(s, 'close')));
    for (const s of sockets) s.destroy();
    await Promise.all(closed);
  }
}
