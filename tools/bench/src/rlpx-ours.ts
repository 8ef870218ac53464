/**
 * The ethp2p side of the rlpx suite: a `net.Server` on 127.0.0.1:0 whose sockets go through
 * `accept`, dialed with `connect` from the same process.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import type { RlpxConnection } from '@ethp2p/rlpx';
import * as rlpx from '@ethp2p/rlpx';
import {
  cpuMsSince,
  type FlowOptions,
  type FlowResult,
  type Handshake,
  HELLO_SIZE,
  hex,
  payloadsFor,
  REQUEST_SIZE,
  RESPONSE_SIZE,
  Rendezvous,
  type RlpxTarget,
  randomPayloads,
  within,
} from './rlpx-target.ts';

/** p2p Hello. */
const HELLO_CODE = 0x00;
/** eth/68 at offset 16: Transactions carries the flow, NewBlockHashes ends it. */
const DATA_CODE = 0x12;
const END_CODE = 0x11;
/** eth/68 GetBlockHeaders and BlockHeaders. */
const REQUEST_CODE = 0x13;
const RESPONSE_CODE = 0x14;

const HELLO = randomPayloads(HELLO_SIZE, 1)[0] as Uint8Array;
const REQUEST = randomPayloads(REQUEST_SIZE, 1)[0] as Uint8Array;
const RESPONSE = randomPayloads(RESPONSE_SIZE, 1)[0] as Uint8Array;
const EMPTY = new Uint8Array(0);

/** Sends the Hello stand-in and reads the peer's. */
async function helloExchange(conn: RlpxConnection, signal: AbortSignal): Promise<void> {
  await conn.writeMsg(HELLO_CODE, HELLO);
  const msg = await within(conn.readMsg(), signal);
  if (msg.code !== HELLO_CODE) throw new Error(`ethp2p: expected Hello, got code ${msg.code}`);
}

/** Reads data messages until the end marker; at most `limit` of them. */
async function readUntilEnd(
  conn: RlpxConnection,
  limit: number,
): Promise<{ bytes: number; messages: number }> {
  let bytes = 0;
  for (let messages = 0; messages <= limit; messages++) {
    const msg = await conn.readMsg();
    if (msg.code === END_CODE) return { bytes, messages };
    bytes += msg.data.length;
  }
  throw new Error(`ethp2p: more than ${limit} messages before the end marker`);
}

/**
 * What the target needs of an `@ethp2p/rlpx` build: this checkout's, or another checkout's
 * loaded from its `dist` (see rlpx-baseline.ts), whose connections have the same shape.
 */
export type RlpxModule = Pick<typeof rlpx, 'accept' | 'connect'>;

/** The ethp2p stack: one listener, and a fresh initiator key per connection. */
class OursTarget implements RlpxTarget {
  readonly name: string;
  readonly canDisableSnappy = true;
  readonly #rlpx: RlpxModule;
  readonly #key = generatePrivateKey();
  readonly #pub = publicKey(this.#key);
  readonly #server: Server = createServer((socket) => this.#onSocket(socket));
  readonly #accepted = new Rendezvous<RlpxConnection>();
  readonly #open = new Set<RlpxConnection>();
  readonly #stop = new AbortController();
  #port = 0;

  private constructor(name: string, module: RlpxModule) {
    this.name = name;
    this.#rlpx = module;
  }

  /** Listens on 127.0.0.1:0. */
  static async start(name: string, module: RlpxModule): Promise<OursTarget> {
    const target = new OursTarget(name, module);
    target.#server.listen(0, '127.0.0.1');
    await once(target.#server, 'listening', { signal: AbortSignal.timeout(5000) });
    const address = target.#server.address();
    if (address === null || typeof address === 'string') throw new Error('ethp2p: no port');
    target.#port = address.port;
    return target;
  }

  async prepareHandshakes(n: number): Promise<Handshake[]> {
    return Array.from({ length: n }, () => {
      const key = generatePrivateKey();
      const pub = publicKey(key);
      return async (signal: AbortSignal) => {
        const [initiator, recipient] = await this.#dial(key, pub, signal);
        try {
          await Promise.all([helloExchange(initiator, signal), helloExchange(recipient, signal)]);
        } finally {
          this.#release(initiator, recipient);
        }
      };
    });
  }

  async flow(options: FlowOptions): Promise<FlowResult> {
    const { signal } = options;
    const payloads = payloadsFor(options);
    const [tx, rx] = await this.#pair(signal);
    try {
      if (options.snappy) {
        tx.enableSnappy();
        rx.enableSnappy();
      }
      const started = performance.now();
      const cpu = process.cpuUsage();
      const received = readUntilEnd(rx, Math.ceil(options.maxBytes / options.size));
      received.catch(() => {}); // a failure surfaces through `within` below
      let sent = 0;
      while (
        sent * options.size < options.maxBytes &&
        performance.now() - started < options.maxMs
      ) {
        signal.throwIfAborted();
        await tx.writeMsg(DATA_CODE, payloads[sent % payloads.length] as Uint8Array);
        sent++;
      }
      await tx.writeMsg(END_CODE, EMPTY);
      const { bytes, messages } = await within(received, signal);
      return { bytes, messages, elapsedMs: performance.now() - started, cpuMs: cpuMsSince(cpu) };
    } finally {
      this.#release(tx, rx);
    }
  }

  async roundTrips(count: number, signal: AbortSignal): Promise<number[]> {
    const [requester, responder] = await this.#pair(signal);
    try {
      requester.enableSnappy();
      responder.enableSnappy();
      const serving = (async () => {
        for (let i = 0; i < count; i++) {
          await responder.readMsg();
          await responder.writeMsg(RESPONSE_CODE, RESPONSE);
        }
      })();
      serving.catch(() => {}); // a failure surfaces as a read that never comes, under `signal`
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await requester.writeMsg(REQUEST_CODE, REQUEST);
        await within(requester.readMsg(), signal);
        times.push(performance.now() - started);
      }
      await within(serving, signal);
      return times;
    } finally {
      this.#release(requester, responder);
    }
  }

  async close(): Promise<void> {
    this.#stop.abort(new Error('ethp2p target closed'));
    this.#release(...this.#open);
    if (this.#server.listening) {
      this.#server.close();
      await once(this.#server, 'close');
    }
  }

  /** A connected pair with a fresh initiator key: [initiator, recipient]. */
  #pair(signal: AbortSignal): Promise<[RlpxConnection, RlpxConnection]> {
    const key = generatePrivateKey();
    return this.#dial(key, publicKey(key), signal);
  }

  async #dial(
    key: Uint8Array,
    pub: Uint8Array,
    signal: AbortSignal,
  ): Promise<[RlpxConnection, RlpxConnection]> {
    const inbound = this.#accepted.take(hex(pub), signal);
    const initiator = await this.#rlpx.connect('127.0.0.1', this.#port, this.#pub, {
      privateKey: key,
      signal,
    });
    this.#open.add(initiator);
    try {
      return [initiator, await inbound];
    } catch (err) {
      this.#release(initiator);
      throw err;
    }
  }

  /** Runs the recipient handshake and hands the connection to the dialer waiting for it. */
  #onSocket(socket: Socket): void {
    this.#rlpx.accept(socket, { privateKey: this.#key, signal: this.#stop.signal }).then(
      (conn) => {
        this.#open.add(conn);
        if (!this.#accepted.deliver(hex(conn.remotePublicKey), conn)) this.#release(conn);
      },
      () => {}, // the socket is destroyed; the dialer sees its handshake fail
    );
  }

  #release(...conns: RlpxConnection[]): void {
    for (const conn of conns) {
      conn.close();
      this.#open.delete(conn);
    }
  }
}

/**
 * Starts the ethp2p target on 127.0.0.1:0, on this checkout's `@ethp2p/rlpx` unless another
 * build is given.
 */
export function startOurs(name = 'ethp2p', module: RlpxModule = rlpx): Promise<RlpxTarget> {
  return OursTarget.start(name, module);
}
