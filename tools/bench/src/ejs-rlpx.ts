/**
 * The @ethereumjs/devp2p side of the rlpx suite: one listening `RLPx` node on 127.0.0.1:0, and a
 * fresh dialing node per connection (it refuses a second connection to the same node ID).
 * A handshake is complete when both nodes emitted `peer:added` (Hello received both ways); it
 * has no bare RLPx handshake to observe.
 * @module
 */
import {
  type ETH,
  EthMessageCodes,
  type Peer,
  type ProtocolEvent,
  type RLPx,
} from '@ethereumjs/devp2p';
import { generatePrivateKey } from '@ethp2p/crypto';
import { createEjsNode, ethOf, exchangeStatus, listenEjs, nextPeer } from './ejs-node.ts';
import {
  cpuMsSince,
  type FlowOptions,
  type FlowResult,
  type Handshake,
  hex,
  payloadsFor,
  Rendezvous,
  type RlpxTarget,
  within,
} from './rlpx-target.ts';

/** Covers every handshake of a run still winding down on the listener at once. */
const LISTENER_MAX_PEERS = 10_000;
/** Bytes sent and not yet received: devp2p ignores socket backpressure, so the bench paces it. */
const WINDOW_BYTES = 1 << 20;
/** A block number of mainnet size, for a 10-byte GetBlockHeaders. */
const ORIGIN = 12_345_678;

type MessageListener = (...args: ProtocolEvent['message']) => void;
type Payload = ProtocolEvent['message'][1];

/** Length of the first item of a decoded `[bytes]` payload. */
function firstItemLength(payload: Payload): number {
  const first = Array.isArray(payload) ? payload[0] : undefined;
  return first instanceof Uint8Array ? first.length : 0;
}

/** Resolves at the next eth message with `code` on `eth`. */
async function nextMessage(eth: ETH, code: number, signal: AbortSignal): Promise<void> {
  let listener: MessageListener = () => {};
  try {
    await within(
      new Promise<void>((resolve) => {
        listener = (c) => {
          if (c === code) resolve();
        };
        eth.events.on('message', listener);
      }),
      signal,
    );
  } finally {
    eth.events.off('message', listener);
  }
}

/**
 * Sends Transactions `[payload]` from `tx` to `rx` with at most {@link WINDOW_BYTES} (or two
 * messages) unreceived, then a NewBlockHashes end marker; resolves when `rx` got the marker.
 */
async function windowedFlow(
  tx: ETH,
  rx: ETH,
  payloads: readonly Uint8Array[],
  options: FlowOptions,
): Promise<FlowResult> {
  const { size, maxBytes, maxMs } = options;
  const window = Math.max(WINDOW_BYTES, 2 * size);
  let sent = 0;
  let received = 0;
  let bytes = 0;
  let ended = false;
  let listener: MessageListener = () => {};
  const started = performance.now();
  const cpu = process.cpuUsage();
  const done = new Promise<FlowResult>((resolve) => {
    const pump = (): void => {
      while (!ended && (sent - received) * size < window) {
        if (sent * size >= maxBytes || performance.now() - started >= maxMs) {
          ended = true;
          tx.sendMessage(EthMessageCodes.NEW_BLOCK_HASHES, []);
        } else {
          tx.sendMessage(EthMessageCodes.TX, [payloads[sent % payloads.length] as Uint8Array]);
          sent++;
        }
      }
    };
    listener = (code, payload) => {
      if (code === EthMessageCodes.NEW_BLOCK_HASHES) {
        resolve({
          bytes,
          messages: received,
          elapsedMs: performance.now() - started,
          cpuMs: cpuMsSince(cpu),
        });
      } else if (code === EthMessageCodes.TX) {
        received++;
        bytes += firstItemLength(payload);
        pump();
      }
    };
    rx.events.on('message', listener);
    pump();
  });
  try {
    return await within(done, options.signal);
  } finally {
    rx.events.off('message', listener);
  }
}

/** The @ethereumjs/devp2p stack. */
class EjsTarget implements RlpxTarget {
  readonly name = '@ethereumjs/devp2p';
  readonly canDisableSnappy = false;
  readonly #errors: unknown[] = [];
  readonly #onError = (err: unknown): void => {
    this.#errors.push(err);
  };
  readonly #listener: RLPx = createEjsNode(generatePrivateKey(), LISTENER_MAX_PEERS, this.#onError);
  readonly #added = new Rendezvous<Peer>();
  readonly #dialers = new Set<RLPx>();
  #port = 0;
  #closed = false;

  /** Listens on 127.0.0.1:0. */
  static async start(): Promise<EjsTarget> {
    const target = new EjsTarget();
    target.#listener.events.on('peer:added', (peer) => {
      const id = peer.getId();
      if (id === null || !target.#added.deliver(hex(id), peer)) peer.disconnect();
    });
    target.#port = await listenEjs(target.#listener, AbortSignal.timeout(5000));
    return target;
  }

  async prepareHandshakes(n: number): Promise<Handshake[]> {
    return Array.from({ length: n }, () => {
      const dialer = this.#newDialer();
      return async (signal: AbortSignal) => {
        try {
          await this.#connect(dialer, signal);
        } finally {
          this.#destroy(dialer);
        }
      };
    });
  }

  async flow(options: FlowOptions): Promise<FlowResult> {
    const payloads = payloadsFor(options);
    const dialer = this.#newDialer();
    try {
      const [tx, rx] = (await this.#connect(dialer, options.signal)).map(ethOf) as [ETH, ETH];
      await exchangeStatus(tx, rx, options.signal);
      return await windowedFlow(tx, rx, payloads, options);
    } finally {
      this.#destroy(dialer);
    }
  }

  async roundTrips(count: number, signal: AbortSignal): Promise<number[]> {
    const dialer = this.#newDialer();
    const [requester, responder] = (await this.#connect(dialer, signal)).map(ethOf) as [ETH, ETH];
    const serve: MessageListener = (code, payload) => {
      if (code === EthMessageCodes.GET_BLOCK_HEADERS && Array.isArray(payload)) {
        responder.sendMessage(EthMessageCodes.BLOCK_HEADERS, [payload[0] ?? 0, []]);
      }
    };
    responder.events.on('message', serve);
    try {
      await exchangeStatus(requester, responder, signal);
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const reply = nextMessage(requester, EthMessageCodes.BLOCK_HEADERS, signal);
        const started = performance.now();
        requester.sendMessage(EthMessageCodes.GET_BLOCK_HEADERS, [
          (i % 127) + 1,
          [ORIGIN, 1, 0, 0],
        ]);
        await reply;
        times.push(performance.now() - started);
      }
      return times;
    } finally {
      responder.events.off('message', serve);
      this.#destroy(dialer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const dialer of this.#dialers) this.#destroy(dialer);
    const closed = new Promise<void>((resolve) => this.#listener.events.once('close', resolve));
    this.#listener.destroy();
    await within(closed, AbortSignal.timeout(5000));
    if (this.#errors.length > 0) {
      const first = this.#errors[0];
      console.warn(
        `\n${this.name} reported ${this.#errors.length} peer error(s); first: ` +
          `${first instanceof Error ? first.message : String(first)}`,
      );
    }
  }

  #newDialer(): RLPx {
    const dialer = createEjsNode(generatePrivateKey(), 4, this.#onError);
    this.#dialers.add(dialer);
    return dialer;
  }

  #destroy(dialer: RLPx): void {
    if (this.#dialers.delete(dialer)) dialer.destroy();
  }

  /** Dials the listener from `dialer`; resolves to [dialer's peer, listener's peer] after Hello. */
  async #connect(dialer: RLPx, signal: AbortSignal): Promise<[Peer, Peer]> {
    const theirs = this.#added.take(hex(dialer.id), signal);
    const ours = nextPeer(dialer, signal);
    const dialed = within(
      dialer.connect({ id: this.#listener.id, address: '127.0.0.1', tcpPort: this.#port }),
      signal,
    );
    const [, initiator, recipient] = await Promise.all([dialed, ours, theirs]);
    return [initiator, recipient];
  }
}

/** Starts the @ethereumjs/devp2p target on 127.0.0.1:0. */
export function startEjs(): Promise<RlpxTarget> {
  return EjsTarget.start();
}
