/**
 * The TALKREQ protocols applications register on a discv5 node (geth `UDPv5.RegisterTalkHandler`):
 * a request for a registered protocol name goes to its handler; an unknown protocol, or a handler
 * that fails, gets an empty TALKRESP as the spec says.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md#talkreq-request-0x05
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { V5MetricsCounters } from './metrics.ts';
import type { V5RequestSource } from './rpc/types.ts';

/** Answers a TALKREQ of one protocol with the TALKRESP payload. */
export type TalkHandler = (
  request: Uint8Array,
  from: V5RequestSource,
) => Uint8Array | Promise<Uint8Array>;

const EMPTY = new Uint8Array(0);

/** The registered protocols of one service, keyed by the protocol name's bytes. */
export class TalkProtocols {
  readonly #handlers = new Map<string, TalkHandler>();
  readonly #metrics: V5MetricsCounters;
  readonly #logger: Logger;

  constructor(metrics: V5MetricsCounters, logger: Logger) {
    this.#metrics = metrics;
    this.#logger = logger;
  }

  /**
   * Registers `handler` for `protocol` (its UTF-8 bytes on the wire) and returns what removes it.
   * @throws {TypeError} on an empty name, or one that is already registered
   */
  register(protocol: string, handler: TalkHandler): () => void {
    if (typeof protocol !== 'string' || protocol.length === 0) {
      throw new TypeError(`protocol: expected a non-empty string, got ${JSON.stringify(protocol)}`);
    }
    if (typeof handler !== 'function') {
      throw new TypeError(`handler: expected a function, got ${typeof handler}`);
    }
    const key = bytesToHex(new TextEncoder().encode(protocol));
    if (this.#handlers.has(key)) {
      throw new TypeError(`protocol: ${JSON.stringify(protocol)} is already registered`);
    }
    this.#handlers.set(key, handler);
    return () => {
      if (this.#handlers.get(key) === handler) this.#handlers.delete(key);
    };
  }

  /** The TALKRESP payload for a request; never rejects (failures answer empty and are counted). */
  async answer(
    protocol: Uint8Array,
    request: Uint8Array,
    from: V5RequestSource,
  ): Promise<Uint8Array> {
    this.#metrics.count('talkRequests');
    const handler = this.#handlers.get(bytesToHex(protocol));
    if (handler === undefined) {
      this.#metrics.count('talkUnknownProtocol');
      return EMPTY;
    }
    try {
      const response = await handler(request, from);
      if (!(response instanceof Uint8Array)) throw new TypeError('handler did not return bytes');
      return response;
    } catch (err) {
      this.#metrics.count('talkHandlerErrors');
      this.#logger.debug('talk handler failed', { protocol: bytesToHex(protocol), err });
      return EMPTY;
    }
  }
}
