/**
 * `DiscV5Rpc`: the discv5 request/response transport over a datagram socket (geth
 * `p2p/discover/v5_udp.go` `UDPv5` without the table): request IDs, response timeouts, the
 * handshake on demand, NODES collected across packets, answers to PING, FINDNODE and TALKREQ,
 * and counters for everything it drops.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md
 * @module
 */
import {
  type Clock,
  defaultLogger,
  type Logger,
  type Random,
  systemClock,
  systemRandom,
  TaskGroup,
} from '@ethp2p/base';
import { assertBytes, bytesToHex, publicKey as derivePublicKey, equalBytes } from '@ethp2p/crypto';
import type { LocalNode, Node } from '@ethp2p/enode';
import { type BanCheck, NO_BANS } from '../../ban-check.ts';
import type { DatagramAddress, DatagramSocket } from '../../transport/datagram.ts';
import { SessionCodec } from '../session/codec.ts';
import { type Endpoint, sessionKey } from '../session/keys.ts';
import type { Session } from '../session/session-cache.ts';
import { MAX_LOG_DISTANCE, MAX_REQUEST_ID_BYTES } from '../wire/constants.ts';
import { WireV5Error } from '../wire/errors.ts';
import type { V5Message } from '../wire/messages.ts';
import type { DecodedWhoareyouPacket } from '../wire/packet.ts';
import { type Call, CallTable, requestMessage } from './calls.ts';
import { type DiscV5RpcConfig, resolveRpcConfig } from './config.ts';
import { DiscV5RpcError } from './errors.ts';
import { type DiscV5RpcMetrics, RpcCounters } from './metrics.ts';
import { NodesCollector } from './nodes.ts';
import { answerRequest, type ResponderContext } from './responder.ts';
import type { V5CallOptions, V5PingResult, V5RequestHandlers, V5Rpc } from './types.ts';

/** Options of {@link DiscV5Rpc}. */
export interface DiscV5RpcOptions {
  /** The node's 32-byte secp256k1 private key; it must be `localNode`'s. */
  readonly privateKey: Uint8Array;
  /** Our record: its seq goes into PING and PONG, the record into handshakes and FINDNODE 0. */
  readonly localNode: LocalNode;
  /** The bound socket; the rpc installs its handler and `close()` closes it. */
  readonly socket: DatagramSocket;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  readonly config?: Partial<DiscV5RpcConfig>;
  /**
   * The ban list: packets from a banned IP are dropped before any decoding or decryption, and
   * packets of a banned node ID as soon as its ID is read (default: nothing banned).
   */
  readonly bans?: BanCheck;
}

const NO_HANDLERS: V5RequestHandlers = {
  findNodes: () => [],
  talk: () => new Uint8Array(0),
  seen: () => {},
};

type Response = Extract<V5Message, { type: 'pong' | 'nodes' | 'talkresp' }>;
const RESPONSE_OF = { ping: 'pong', findnode: 'nodes', talkreq: 'talkresp' } as const;

/**
 * The discv5 transport. It owns the socket (closed by {@link close}), the session codec and the
 * pending calls; all state changes happen synchronously in the socket handler, the public calls
 * and the timers. Bad input is counted in {@link metrics} and dropped, never thrown.
 */
export class DiscV5Rpc implements V5Rpc {
  readonly #localNode: LocalNode;
  readonly #socket: DatagramSocket;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #config: DiscV5RpcConfig;
  readonly #codec: SessionCodec;
  readonly #calls = new CallTable();
  readonly #counters = new RpcCounters();
  readonly #tasks = new TaskGroup();
  /** Sessions we initiated that no response has confirmed yet. */
  readonly #unconfirmed = new Set<string>();
  #handlers: V5RequestHandlers = NO_HANDLERS;
  #closed: Promise<void> | undefined;
  readonly #responder: ResponderContext;
  readonly #bans: BanCheck;

  /** @throws {TypeError|RangeError} on a key that is not `localNode`'s, or a bad config */
  constructor(options: DiscV5RpcOptions) {
    assertBytes('privateKey', options.privateKey, 32);
    if (!equalBytes(derivePublicKey(options.privateKey), options.localNode.publicKey)) {
      throw new TypeError('privateKey: expected the key of localNode');
    }
    this.#localNode = options.localNode;
    this.#socket = options.socket;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#logger = options.logger ?? defaultLogger;
    this.#config = resolveRpcConfig(options.config);
    this.#bans = options.bans ?? NO_BANS;
    this.#codec = new SessionCodec({
      privateKey: options.privateKey,
      localNode: options.localNode,
      clock: this.#clock,
      random: this.#random,
      limits: this.#config,
      exemptIp: this.#config.exemptIp,
    });
    this.#responder = {
      localNode: this.#localNode,
      config: this.#config,
      counters: this.#counters,
      logger: this.#logger,
      handlers: () => this.#handlers,
      closed: () => this.#closed !== undefined,
      spawn: (task) => {
        this.#tasks.spawn(task);
      },
      reply: (session, message) => this.#reply(session, message),
    };
    this.#socket.onMessage((data, from) => this.#onPacket(data, from));
  }

  /** The socket's bound address. */
  get local(): DatagramAddress {
    return this.#socket.local;
  }

  /** A snapshot of the counters. */
  get metrics(): DiscV5RpcMetrics {
    const c = this.#counters;
    return {
      packetsIn: c.packetsIn,
      packetsOut: c.packetsOut,
      handshakesInitiated: c.handshakesInitiated,
      handshakesAccepted: c.handshakesAccepted,
      whoareyouSent: c.whoareyouSent,
      dropped: { ...c.dropped },
      sessions: this.#codec.sessionCount,
      pendingChallenges: this.#codec.challengeCount,
      pendingCalls: this.#calls.size,
    };
  }

  setHandlers(handlers: V5RequestHandlers): void {
    this.#handlers = handlers;
  }

  async ping(node: Node, options: V5CallOptions = {}): Promise<V5PingResult> {
    const pong = (await this.#call(node, 'ping', options)) as Extract<Response, { type: 'pong' }>;
    return { enrSeq: pong.enrSeq, ip: pong.ip, port: pong.port };
  }

  async findNode(
    node: Node,
    distances: readonly number[],
    options: V5CallOptions = {},
  ): Promise<Node[]> {
    for (const d of distances) {
      if (!Number.isInteger(d) || d < 0 || d > MAX_LOG_DISTANCE) {
        throw new RangeError(`distances: expected integers in 0-${MAX_LOG_DISTANCE}, got ${d}`);
      }
    }
    return (await this.#call(node, 'findnode', options, { distances: [...distances] })) as Node[];
  }

  async talkRequest(
    node: Node,
    protocol: Uint8Array,
    request: Uint8Array,
    options: V5CallOptions = {},
  ): Promise<Uint8Array> {
    assertBytes('protocol', protocol);
    assertBytes('request', request);
    const resp = await this.#call(node, 'talkreq', options, { protocol, request });
    return (resp as Extract<Response, { type: 'talkresp' }>).response;
  }

  /** Rejects pending calls with CLOSED, waits for TALKREQ handlers, closes the socket. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    for (const call of this.#calls.all()) {
      this.#finish(call, { ok: false, error: new DiscV5RpcError('CLOSED', 'discv5 rpc closed') });
    }
    await this.#tasks.wait();
    await this.#socket.close();
  }

  // ---- calls -------------------------------------------------------------------------------

  #call(
    node: Node,
    kind: 'ping' | 'findnode' | 'talkreq',
    options: V5CallOptions,
    fields: { distances?: number[]; protocol?: Uint8Array; request?: Uint8Array } = {},
  ): Promise<unknown> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#closed !== undefined) {
      return Promise.reject(new DiscV5RpcError('CLOSED', 'discv5 rpc closed'));
    }
    if (node.ip === undefined || node.udp === undefined || node.udp === 0) {
      return Promise.reject(new DiscV5RpcError('NO_ENDPOINT', 'node has no udp endpoint'));
    }
    const endpoint = { ip: node.ip, port: node.udp };
    const reqId = this.#random.bytes(MAX_REQUEST_ID_BYTES);
    const message = requestMessage(kind, reqId, this.#localNode.seq, fields);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.#finish(call, { ok: false, error: signal?.reason });
      const call: Call = {
        node,
        endpoint,
        peerKey: sessionKey(node.id, endpoint),
        reqIdHex: bytesToHex(reqId),
        message,
        nonceHex: undefined,
        handshakes: 0,
        timer: undefined,
        responses: 0,
        total: undefined,
        collector:
          kind === 'findnode'
            ? new NodesCollector(node, endpoint.ip, fields.distances ?? [])
            : undefined,
        settle: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#calls.add(call)) this.#send(call);
    });
  }

  /** Sends `call` as an ordinary message packet (random content without a session). */
  #send(call: Call): void {
    let encoded: { packet: Uint8Array; nonce: Uint8Array };
    try {
      encoded = this.#codec.encodeMessage(call.node, call.endpoint, call.message);
    } catch (err) {
      // A TALKREQ too big for one packet, for example.
      this.#finish(call, { ok: false, error: err });
      return;
    }
    this.#calls.setNonce(call, bytesToHex(encoded.nonce));
    this.#write(encoded.packet, call.endpoint);
    this.#arm(call);
  }

  /** (Re)starts the response timer of `call`. */
  #arm(call: Call): void {
    call.timer?.cancel();
    call.timer = this.#clock.schedule(this.#config.responseTimeoutMs, () => {
      call.timer = undefined;
      if (call.collector !== undefined && call.responses > 0) {
        this.#finish(call, { ok: true, value: call.collector.nodes });
      } else {
        const error = new DiscV5RpcError('TIMEOUT', `${call.message.type} timed out`);
        this.#finish(call, { ok: false, error });
      }
    });
  }

  #finish(call: Call, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    if (this.#calls.byReqId(call.reqIdHex) !== call) return;
    call.timer?.cancel();
    call.timer = undefined;
    const next = this.#calls.remove(call);
    // A handshake no response confirmed is forgotten with its call, so the set stays bounded.
    if (!outcome.ok) this.#unconfirmed.delete(call.peerKey);
    call.settle(outcome);
    if (next !== undefined && this.#closed === undefined) this.#send(next);
  }

  // ---- receiving ---------------------------------------------------------------------------

  #onPacket(data: Uint8Array, from: DatagramAddress): void {
    this.#counters.packetsIn += 1;
    const endpoint = { ip: from.address, port: from.port };
    // The cheapest check first: one map lookup, before unmasking, decryption or signatures.
    if (this.#bans.isBannedIp(from.address)) {
      this.#counters.drop('banned');
      return;
    }
    try {
      const result = this.#codec.decode(data, endpoint);
      const srcId =
        result.kind === 'undecryptable'
          ? result.srcId
          : result.kind === 'handshake' || result.kind === 'message'
            ? result.session.node.id
            : undefined;
      if (srcId !== undefined && this.#bans.isBannedId(srcId)) {
        this.#counters.drop('banned');
        return;
      }
      switch (result.kind) {
        case 'drop':
          this.#counters.drop(result.reason);
          return;
        case 'undecryptable':
          this.#counters.drop('unknown-session');
          this.#challenge(result.srcId, endpoint, result.nonce);
          return;
        case 'whoareyou':
          this.#onWhoareyou(result.packet, endpoint);
          return;
        case 'handshake':
          this.#counters.handshakesAccepted += 1;
          this.#seen(result.session.node);
          this.#onMessage(result.session, result.message);
          return;
        case 'message':
          if (this.#unconfirmed.delete(sessionKey(result.session.node.id, endpoint))) {
            this.#counters.handshakesInitiated += 1;
            this.#seen(result.session.node);
          }
          this.#onMessage(result.session, result.message);
          return;
      }
    } catch (err) {
      this.#counters.drop('bad-packet');
      if (!(err instanceof WireV5Error)) {
        this.#logger.warn('discv5 packet handling failed', { from: endpoint, err });
      } else {
        this.#logger.debug('bad discv5 packet', { from: endpoint, code: err.code });
      }
    }
  }

  /** Answers an undecryptable packet with WHOAREYOU, with the seq of the record we know. */
  #challenge(srcId: Uint8Array, endpoint: Endpoint, nonce: Uint8Array): void {
    const known =
      this.#codec.session(srcId, endpoint)?.node ??
      this.#calls.active(sessionKey(srcId, endpoint))?.node;
    const result = this.#codec.encodeWhoareyou(srcId, endpoint, nonce, known);
    if (result.kind === 'refused') {
      this.#counters.drop('whoareyou-limit');
      return;
    }
    this.#counters.whoareyouSent += 1;
    this.#write(result.packet, endpoint);
  }

  /** Re-sends the challenged call as a handshake packet. */
  #onWhoareyou(p: DecodedWhoareyouPacket, from: Endpoint): void {
    const call = this.#calls.byNonce(bytesToHex(p.nonce));
    if (
      call === undefined ||
      call.endpoint.ip !== from.ip ||
      call.endpoint.port !== from.port ||
      call.handshakes > 0
    ) {
      this.#counters.drop('unsolicited-whoareyou');
      return;
    }
    call.handshakes += 1;
    let encoded: { packet: Uint8Array; nonce: Uint8Array } | undefined;
    try {
      encoded = this.#codec.encodeHandshake(call.node, call.endpoint, p, call.message);
    } catch (err) {
      // Our record and the message together do not fit in one packet.
      this.#finish(call, { ok: false, error: err });
      return;
    }
    if (encoded === undefined) {
      const error = new DiscV5RpcError('LIMIT', 'too many sessions with this ip');
      this.#finish(call, { ok: false, error });
      return;
    }
    this.#unconfirmed.add(call.peerKey);
    this.#calls.setNonce(call, bytesToHex(encoded.nonce));
    this.#write(encoded.packet, call.endpoint);
    this.#arm(call);
  }

  #onMessage(session: Session, message: V5Message): void {
    switch (message.type) {
      case 'ping':
      case 'findnode':
      case 'talkreq':
        answerRequest(this.#responder, session, message);
        return;
      default:
        this.#onResponse(session, message);
    }
  }

  #onResponse(session: Session, message: Response): void {
    const call = this.#calls.byReqId(bytesToHex(message.reqId));
    if (call === undefined || call.peerKey !== sessionKey(session.node.id, session.endpoint)) {
      this.#counters.drop('unsolicited-response');
      return;
    }
    if (RESPONSE_OF[call.message.type as keyof typeof RESPONSE_OF] !== message.type) {
      this.#counters.drop('unexpected-message');
      return;
    }
    if (message.type !== 'nodes' || call.collector === undefined) {
      this.#finish(call, { ok: true, value: message });
      return;
    }
    call.total ??= Math.max(1, Math.min(message.total, this.#config.maxNodesResponses));
    call.responses += 1;
    call.collector.add(message.records, (why) => this.#counters.drop(why));
    if (call.responses >= call.total) this.#finish(call, { ok: true, value: call.collector.nodes });
    else this.#arm(call);
  }

  #reply(session: Session, message: V5Message): void {
    try {
      const { packet } = this.#codec.encodeMessage(session.node, session.endpoint, message);
      this.#write(packet, session.endpoint);
    } catch (err) {
      // A TALKRESP payload too big for one packet, for example.
      this.#logger.warn('discv5 reply not sent', { type: message.type, err });
    }
  }

  #seen(node: Node): void {
    try {
      this.#handlers.seen(node);
    } catch (err) {
      this.#logger.warn('discv5 seen handler failed', { err });
    }
  }

  #write(packet: Uint8Array, to: Endpoint): void {
    this.#counters.packetsOut += 1;
    this.#socket.send(packet, { address: to.ip, port: to.port });
  }
}
