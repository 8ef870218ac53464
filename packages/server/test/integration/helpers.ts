/**
 * Fixtures of the server's loopback tests: a test protocol, a bounded wait for a typed event or
 * a condition, and a clock that counts its live timers so tests can check that none outlives
 * `stop()`.
 * @module
 */
import { type Clock, type Random, seededRandom, systemClock, type Timer } from '@ethp2p/base';
import { equalBytes, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { connect, type RlpxConnection } from '@ethp2p/rlpx';
import { afterEach } from 'vitest';
import type { NodeSource, SignalOptions } from '../../src/node-source.ts';
import { exchangeHello } from '../../src/peer/hello-exchange.ts';
import type { Cap, MsgReadWriter, Protocol, ProtocolPeer, RunOptions } from '../../src/protocol.ts';
import type { ServerOptions } from '../../src/server/config.ts';
import type { ServerEvents } from '../../src/server/events.ts';
import { Server } from '../../src/server/server.ts';
import type { Hello } from '../../src/wire/hello.ts';

/** Bounded waits in these tests: long enough for a loaded CI machine, short enough to fail. */
export const WAIT_MS = 10_000;

/**
 * A protocol that reads (and drops) messages until its stream closes. `runs` counts calls of
 * `run()`.
 */
export function testProtocol(name = 'test', version = 1): Protocol & { runs: number } {
  const proto = {
    name,
    version,
    length: 4,
    runs: 0,
    async run(_peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
      proto.runs++;
      while (!signal.aborted) {
        try {
          await rw.readMsg();
        } catch {
          return;
        }
      }
    },
  };
  return proto;
}

/** The server's event emitter. */
type Events = Server['events'];
/** The payload of server event `K`. */
export type Payload<K extends keyof ServerEvents> = Parameters<ServerEvents[K]>[0];

/**
 * The next `name` event whose payload passes `filter`; rejects after `timeoutMs`. Attach it
 * before doing what triggers the event.
 */
export function nextEvent<K extends keyof ServerEvents>(
  events: Events,
  name: K,
  filter: (payload: Payload<K>) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<Payload<K>> {
  return new Promise((resolve, reject) => {
    const listener = (payload: Payload<K>): void => {
      if (!filter(payload)) return;
      done();
      resolve(payload);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${name}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      events.off(name, listener as never);
    };
    events.on(name, listener as never);
  });
}

/** The system clock, counting timers that are scheduled and neither ran nor were cancelled. */
export class TrackingClock implements Clock {
  readonly #live = new Set<object>();

  now(): number {
    return systemClock.now();
  }

  schedule(ms: number, fn: () => void): Timer {
    const token = {};
    this.#live.add(token);
    const inner = systemClock.schedule(ms, () => {
      this.#live.delete(token);
      fn();
    });
    return {
      cancel: () => {
        this.#live.delete(token);
        inner.cancel();
      },
    };
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.#live.size;
  }
}

/** How many active resources of each kind the process has (TCP handles, ref'd timers, ...). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** What a raw client ended with: the server's Hello, or the error the exchange failed with. */
export type RawOutcome =
  | { readonly ok: true; readonly conn: RlpxConnection; readonly hello: Hello }
  | { readonly ok: false; readonly error: unknown };

/**
 * Dials `port` with `privateKey` as a bare RLPx client (no Server) and runs the Hello exchange
 * announcing `caps`. The caller closes `conn` on success.
 */
export async function rawDial(
  port: number,
  remotePublicKey: Uint8Array,
  privateKey: Uint8Array,
  caps: readonly Cap[] = [{ name: 'test', version: 1 }],
): Promise<RawOutcome> {
  const signal = AbortSignal.timeout(WAIT_MS);
  const conn = await connect('127.0.0.1', port, remotePublicKey, { privateKey, signal });
  const hello: Hello = { version: 5, name: 'raw', caps, listenPort: 0, id: publicKey(privateKey) };
  try {
    return { ok: true, conn, hello: await exchangeHello(conn, hello, { signal }) };
  } catch (error) {
    conn.close();
    return { ok: false, error };
  }
}

/**
 * A node source shared by many servers, like one discovery network seen from every node: each
 * `randomNodes()` and each `lookup()` yields every registered node in a fresh random order,
 * then ends. (The dial scheduler's own fake source hands each queued node to one lookup only.)
 */
export class SharedNodeSource implements NodeSource {
  readonly #nodes: Node[] = [];
  readonly #random: Random;

  constructor(seed = 1) {
    this.#random = seededRandom(seed);
  }

  /** Makes `nodes` visible to every server using this source. */
  add(...nodes: Node[]): void {
    this.#nodes.push(...nodes);
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#walk(options.signal);
  }

  lookup(_target?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#walk(options.signal);
  }

  async resolve(node: Node): Promise<Node | undefined> {
    return this.#nodes.find((n) => equalBytes(n.id, node.id));
  }

  async *#walk(signal: AbortSignal | undefined): AsyncGenerator<Node> {
    const order = [...this.#nodes];
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.#random.intn(i + 1);
      [order[i], order[j]] = [order[j] as Node, order[i] as Node];
    }
    for (const node of order) {
      if (signal?.aborted === true) return;
      yield node;
    }
  }
}

/**
 * For one test file: returns `startServer(options)`, which starts a server on 127.0.0.1:0 with a
 * {@link testProtocol} (unless `options` say otherwise), and stops every one after each test.
 */
export function serverStarter(): (options?: Partial<ServerOptions>) => Promise<Server> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  return async (options = {}) => {
    const server = new Server({
      privateKey: generatePrivateKey(),
      listenAddress: '127.0.0.1:0',
      protocols: [testProtocol()],
      ...options,
    });
    servers.push(server);
    await server.start();
    return server;
  };
}
