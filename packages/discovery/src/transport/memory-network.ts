/**
 * An in-memory datagram network: many {@link DatagramSocket}s in one process, no real I/O. It
 * backs unit and integration tests and the thousand-node simulation. Every operation is a `Map`
 * lookup, so the cost per packet does not grow with the number of sockets.
 * @module
 */
import { type Clock, type Random, seededRandom, systemClock } from '@ethp2p/base';
import { MAX_DATAGRAM_SIZE_BYTES } from './constants.ts';
import {
  checkDestination,
  type DatagramAddress,
  type DatagramHandler,
  type DatagramSocket,
  unmapAddress,
} from './datagram.ts';
import { TransportError } from './errors.ts';

/** Decides whether a datagram is lost in transit; `true` drops it. */
export type LossFunction = (
  from: DatagramAddress,
  to: DatagramAddress,
  data: Uint8Array,
) => boolean;

/**
 * How one direction of a link behaves. Each datagram waits `latencyMs` plus a uniform draw in
 * [0, `jitterMs`) (so jitter may reorder datagrams), and is lost with probability `lossRate`.
 */
export interface LinkProfile {
  /** One-way delay in ms, ≥ 0. */
  readonly latencyMs?: number;
  /** Extra random delay in ms, ≥ 0, drawn per datagram. */
  readonly jitterMs?: number;
  /** Probability in [0, 1] that a datagram is lost. */
  readonly lossRate?: number;
}

/** The profile of the link from `from` to `to`; fields left out take the network's values. */
export type LinkFunction = (from: DatagramAddress, to: DatagramAddress) => LinkProfile | undefined;

/** Options of {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Schedules delayed delivery (any latency or jitter). Default {@link systemClock}. */
  clock?: Clock;
  /**
   * One-way delay of every datagram. With no delay at all (0 latency and jitter, the default)
   * delivery happens in a microtask after `send` returns; otherwise a timer of `clock` delivers
   * it, so a `SimulatedClock` must be advanced for datagrams to arrive.
   */
  latencyMs?: number;
  /** Extra delay drawn per datagram, uniform in [0, jitterMs). Default 0. */
  jitterMs?: number;
  /** Probability in [0, 1] that a datagram is lost, drawn per datagram. Default 0. */
  lossRate?: number;
  /**
   * Per-link overrides, asked once per datagram with the source and the (canonical) destination:
   * e.g. latency by region from the addresses, or a cut link (`lossRate: 1`).
   * @throws {RangeError} from `send` when it returns an out-of-range value
   */
  link?: LinkFunction;
  /**
   * Where jitter and random loss are drawn from, in send order: a seeded source makes a run
   * repeatable. Default `seededRandom(1)`.
   */
  random?: Random;
  /** Called once per sent datagram; returning `true` loses it. Default: nothing is lost. */
  loss?: LossFunction;
  /**
   * Where datagrams to an address with no socket on this network go, once their loss and delay
   * are drawn (they are counted as sent, not dropped): e.g. to another network in another thread,
   * which hands them to {@link MemoryNetwork.deliver} when they arrive. Default: none (such
   * datagrams are dropped on arrival).
   */
  bridge?: BridgeFunction;
}

/**
 * Takes a datagram bound for another network: `data` is a copy, `delayMs` the drawn latency plus
 * jitter from now.
 */
export type BridgeFunction = (
  data: Uint8Array,
  from: DatagramAddress,
  to: DatagramAddress,
  delayMs: number,
) => void;

/** Counters of a {@link MemoryNetwork}, for assertions. */
export interface MemoryNetworkStats {
  /** Datagrams accepted by `send` on an open socket. */
  sent: number;
  /** Datagrams passed to a handler. */
  delivered: number;
  /**
   * Datagrams lost: longer than `MAX_DATAGRAM_SIZE_BYTES`, the loss hook, random loss
   * (`lossRate`), no socket at the destination, or no handler installed.
   */
  dropped: number;
  /** Exceptions thrown by handlers (caught, never rethrown). */
  handlerErrors: number;
}

const FIRST_EPHEMERAL_PORT = 49152;

/**
 * An in-memory datagram network. Sockets are bound to an (address, port) pair; addresses are
 * compared in canonical form (IPv4-mapped IPv6 as IPv4, IPv6 per RFC 5952). There is no wildcard
 * address: a socket bound to `0.0.0.0` receives only datagrams sent to `0.0.0.0`. Datagrams are
 * copied on send, delivered asynchronously and in send order (for equal latency), and silently
 * dropped if nothing is bound at the destination when they arrive or if they are longer than
 * `MAX_DATAGRAM_SIZE_BYTES` (as a UDP socket drops them). Links may add latency, jitter and
 * random loss, network-wide or per link ({@link MemoryNetworkOptions.link}), drawn from a seeded
 * source so that a run repeats. Not thread-safe; one event loop owns it.
 * @example
 * const net = new MemoryNetwork();
 * const a = net.bind('10.0.0.1');
 * const b = net.bind('10.0.0.2', 30303);
 * b.onMessage((data, from) => console.log(data, from));
 * a.send(new Uint8Array([1]), b.local);
 */
export class MemoryNetwork {
  /** Sockets by canonical address, then port: two lookups on flat strings, no key built per datagram. */
  readonly #sockets = new Map<string, Map<number, MemorySocket>>();
  #size = 0;
  readonly #nextPort = new Map<string, number>();
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #defaults: Required<LinkProfile>;
  readonly #link: LinkFunction | undefined;
  readonly #loss: LossFunction | undefined;
  readonly #bridge: BridgeFunction | undefined;
  readonly #stats: MemoryNetworkStats = { sent: 0, delivered: 0, dropped: 0, handlerErrors: 0 };

  /** @throws {RangeError} on a negative or non-finite delay, or a `lossRate` outside [0, 1] */
  constructor(options: MemoryNetworkOptions = {}) {
    const { latencyMs = 0, jitterMs = 0, lossRate = 0 } = options;
    this.#defaults = checkLink('', { latencyMs, jitterMs, lossRate });
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? seededRandom(1);
    this.#link = options.link;
    this.#loss = options.loss;
    this.#bridge = options.bridge;
  }

  /** A snapshot of the counters. */
  get stats(): MemoryNetworkStats {
    return { ...this.#stats };
  }

  /** How many sockets are bound. */
  get size(): number {
    return this.#size;
  }

  /**
   * Binds a socket. Port 0 assigns a free port from 49152 upwards, per address.
   * @throws {TypeError} if `address` is not an IP address
   * @throws {RangeError} if `port` is not an integer in 0–65535
   * @throws {TransportError} `BIND_FAILED` if the address and port are taken, or no port is free
   */
  bind(address: string, port = 0): DatagramSocket {
    checkDestination({ address, port: port === 0 ? 1 : port });
    const host = unmapAddress(address);
    const local = { address: host, port: port === 0 ? this.#freePort(host) : port };
    if (this.#socketAt(host, local.port) !== undefined) {
      throw new TransportError('BIND_FAILED', `bind ${host}:${local.port}: address in use`);
    }
    let ports = this.#sockets.get(host);
    if (ports === undefined) {
      ports = new Map();
      this.#sockets.set(host, ports);
    }
    const socket: MemorySocket = new MemorySocket(local, {
      transmit: (data, to) => this.#transmit(local, data, to),
      unbind: () => {
        const bound = this.#sockets.get(host);
        if (bound?.get(local.port) !== socket) return;
        bound.delete(local.port);
        if (bound.size === 0) this.#sockets.delete(host);
        this.#size--;
      },
    });
    ports.set(local.port, socket);
    this.#size++;
    return socket;
  }

  #socketAt(address: string, port: number): MemorySocket | undefined {
    return this.#sockets.get(address)?.get(port);
  }

  #transmit(from: DatagramAddress, data: Uint8Array, to: DatagramAddress): void {
    this.#stats.sent++;
    const dest = { address: unmapAddress(to.address), port: to.port };
    const link = this.#profile(from, dest);
    if (
      data.length > MAX_DATAGRAM_SIZE_BYTES ||
      this.#loss?.(from, dest, data) === true ||
      (link.lossRate > 0 && this.#fraction() < link.lossRate)
    ) {
      this.#stats.dropped++;
      return;
    }
    const delayMs = link.latencyMs + (link.jitterMs > 0 ? this.#fraction() * link.jitterMs : 0);
    const copy = data.slice();
    if (this.#bridge !== undefined && !this.#sockets.has(dest.address)) {
      this.#bridge(copy, from, dest, delayMs);
      return;
    }
    const deliver = (): void => this.#deliver(copy, from, dest);
    if (delayMs === 0) queueMicrotask(deliver);
    else this.#clock.schedule(delayMs, deliver);
  }

  /** The network's profile, overridden by the link function's for this link. */
  #profile(from: DatagramAddress, to: DatagramAddress): Required<LinkProfile> {
    const override = this.#link?.(from, to);
    if (override === undefined) return this.#defaults;
    return checkLink('link: ', { ...this.#defaults, ...override });
  }

  /** A uniform draw in [0, 1). */
  #fraction(): number {
    return this.#random.intn(0x1_0000_0000) / 0x1_0000_0000;
  }

  /**
   * Hands a datagram that arrived from outside (through a {@link MemoryNetworkOptions.bridge} of
   * another network) to the socket bound at `to`, now; counted as delivered or dropped, not sent.
   */
  deliver(data: Uint8Array, from: DatagramAddress, to: DatagramAddress): void {
    this.#deliver(data, from, { address: unmapAddress(to.address), port: to.port });
  }

  #deliver(data: Uint8Array, from: DatagramAddress, to: DatagramAddress): void {
    const outcome = this.#socketAt(to.address, to.port)?.receive(data, from) ?? 'dropped';
    if (outcome === 'delivered') this.#stats.delivered++;
    else if (outcome === 'dropped') this.#stats.dropped++;
    else {
      this.#stats.delivered++;
      this.#stats.handlerErrors++;
    }
  }

  #freePort(address: string): number {
    const start = this.#nextPort.get(address) ?? FIRST_EPHEMERAL_PORT;
    const span = 65536 - FIRST_EPHEMERAL_PORT;
    for (let i = 0; i < span; i++) {
      const port = FIRST_EPHEMERAL_PORT + ((start - FIRST_EPHEMERAL_PORT + i) % span);
      if (this.#socketAt(address, port) === undefined) {
        this.#nextPort.set(address, port + 1 > 65535 ? FIRST_EPHEMERAL_PORT : port + 1);
        return port;
      }
    }
    throw new TransportError('BIND_FAILED', `bind ${address}:0: no free port`);
  }
}

/** `link` if its values are in range, else a RangeError naming the field after `prefix`. */
function checkLink(prefix: string, link: Required<LinkProfile>): Required<LinkProfile> {
  for (const field of ['latencyMs', 'jitterMs'] as const) {
    const v = link[field];
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`${prefix}${field}: expected a non-negative number, got ${v}`);
    }
  }
  const rate = link.lossRate;
  if (!(rate >= 0 && rate <= 1)) {
    throw new RangeError(`${prefix}lossRate: expected a number in [0, 1], got ${rate}`);
  }
  return link;
}

interface SocketHooks {
  transmit(data: Uint8Array, to: DatagramAddress): void;
  unbind(): void;
}

/** A socket of a {@link MemoryNetwork}; it reaches the network only through its hooks. */
class MemorySocket implements DatagramSocket {
  readonly local: DatagramAddress;
  readonly inMemory = true;
  readonly #hooks: SocketHooks;
  #handler: DatagramHandler | undefined;
  #closed = false;

  constructor(local: DatagramAddress, hooks: SocketHooks) {
    this.local = local;
    this.#hooks = hooks;
  }

  send(data: Uint8Array, to: DatagramAddress): void {
    checkDestination(to);
    if (!this.#closed) this.#hooks.transmit(data, to);
  }

  onMessage(handler: DatagramHandler): void {
    if (!this.#closed) this.#handler = handler;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#handler = undefined;
      this.#hooks.unbind();
    }
    return Promise.resolve();
  }

  /** Hands a datagram to the handler; exceptions are caught and reported as `'threw'`. */
  receive(data: Uint8Array, from: DatagramAddress): 'delivered' | 'dropped' | 'threw' {
    const handler = this.#handler;
    if (handler === undefined) return 'dropped';
    try {
      handler(data, from);
      return 'delivered';
    } catch {
      return 'threw';
    }
  }
}
