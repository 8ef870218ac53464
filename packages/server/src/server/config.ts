/**
 * The {@link Server}'s options, their defaults (go-ethereum's `p2p.Config`) and the checked,
 * normalized configuration the server runs on.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */
import {
  type Clock,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
  systemRandom,
} from '@ethp2p/base';
import { publicKey as derivePublicKey, isValidPrivateKey } from '@ethp2p/crypto';
import { type LocalNode, Node, type NodeId, nodeIdFromPublicKey, normalizeIp } from '@ethp2p/enode';
import {
  DEFAULT_INGRESS_BUDGET_BYTES,
  DEFAULT_INGRESS_THRESHOLD_BYTES,
  HANDSHAKE_TIMEOUT_MS,
  type IngressBudget,
} from '@ethp2p/rlpx';
import { DEFAULT_DIAL_TIMEOUT_MS } from '../dial/constants.ts';
import { NetRestrict } from '../netrestrict.ts';
import type { NodeSource } from '../node-source.ts';
import type { Protocol } from '../protocol.ts';
import type { BanStore } from '../reputation/ban-list.ts';

/** Default peer limit (geth `node.DefaultConfig.P2P.MaxPeers`). */
export const DEFAULT_MAX_PEERS = 50;
/** Default share of dialed peers: 1/3 of MaxPeers (geth `defaultDialRatio`). */
export const DEFAULT_DIAL_RATIO = 3;
/** Default cap on inbound handshakes in progress (geth `defaultMaxPendingPeers`). */
export const DEFAULT_MAX_PENDING_PEERS = 50;
/**
 * Default cap on inbound handshakes in progress from one IP, loopback and LAN included (not in
 * geth: so that a few addresses cannot hold every pending slot).
 */
export const DEFAULT_MAX_PENDING_PER_IP = 10;
/**
 * Default idle-read timeout of an inbound handshake: a connection that sends nothing for this
 * long before its Hello is done is closed (not in geth, whose handshake timeout alone applies).
 */
export const DEFAULT_HANDSHAKE_IDLE_TIMEOUT_MS = 2_000;
/** Time a non-LAN IP must wait between inbound attempts (geth `inboundThrottleTime`). */
export const INBOUND_THROTTLE_MS = 30_000;
/** Default listen address: loopback and a port the OS picks, so nothing is exposed by accident. */
export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:0';
/** Default client name sent in Hello. */
export const DEFAULT_NAME = 'ethp2p';
/** Longest accepted client name (Hello is capped at 2 KiB as a whole). */
export const MAX_NAME_LENGTH = 1024;

/**
 * How the advertised IP is chosen. `'none'` (the default) advertises the listen IP, or 127.0.0.1
 * when it listens on an unspecified address; `'extip:<ip>'` advertises `<ip>`. There is no UPnP
 * or NAT-PMP port mapping.
 */
export type NatOption = 'none' | `extip:${string}`;

/** Options of {@link Server}. Only `privateKey` is required. */
export interface ServerOptions {
  /** The node's 32-byte secp256k1 private key. */
  readonly privateKey: Uint8Array;
  /** Client name sent in Hello (default `'ethp2p'`). */
  readonly name?: string;
  /** Most connected peers (default 50); trusted peers and our static dials may exceed it. */
  readonly maxPeers?: number;
  /** Most inbound handshakes in progress at once (default 50). */
  readonly maxPendingPeers?: number;
  /**
   * Most inbound handshakes in progress from one IP, loopback and LAN included (default 10).
   * When every pending slot is taken, a connection from an IP with none pending displaces the
   * most stalled one.
   */
  readonly maxPendingPerIp?: number;
  /**
   * An inbound connection that sends nothing for this long during its handshake is closed, in
   * ms (default 2 s).
   */
  readonly handshakeIdleTimeoutMs?: number;
  /** 1/dialRatio of maxPeers may be dialed by us (default 3). */
  readonly dialRatio?: number;
  /** Never dial dynamic or static nodes; only accept inbound connections (default false). */
  readonly noDial?: boolean;
  /**
   * TCP `host:port` to listen on (IPv6 as `[::1]:0`); port 0 lets the OS pick one, read it
   * back from {@link Server.listenPort}. `null` disables listening. Default `127.0.0.1:0`.
   */
  readonly listenAddress?: string | null;
  /** Nodes kept connected: dialed, and redialed after they drop. */
  readonly staticNodes?: readonly Node[];
  /** Nodes admitted even when the server is full. */
  readonly trustedNodes?: readonly Node[];
  /**
   * CIDR allow-list (`['10.0.0.0/8', '::1/128']` or a {@link NetRestrict}): nodes outside it
   * are neither dialed nor accepted. Default: no restriction.
   */
  readonly netRestrict?: NetRestrict | readonly string[];
  /** The subprotocols to run on every peer that shares them. */
  readonly protocols?: readonly Protocol[];
  /** IP to advertise in the enode URL and record; same as `nat: 'extip:<ip>'`. */
  readonly externalIp?: string;
  /** See {@link NatOption}; no UPnP or NAT-PMP is attempted. */
  readonly nat?: NatOption;
  /** Where dynamic dial candidates come from (normally discovery); none means static only. */
  readonly nodeSource?: NodeSource;
  /**
   * The local record to advertise (and add the `tcp` port to), for sharing one with discovery.
   * Default: the server makes its own.
   */
  readonly localNode?: LocalNode;
  /** Emit `peer:msg` for every message sent and received (default false). */
  readonly enableMsgEvents?: boolean;
  readonly logger?: Logger;
  /** Runs every server, dial and peer timer (default: the system clock). */
  readonly clock?: Clock;
  readonly random?: Random;
  /** Deadline of one dial attempt, connect to added peer, in ms (default 15 s). */
  readonly dialTimeoutMs?: number;
  /** Time allowed for the RLPx handshake, and again for the Hello exchange, in ms (default 5 s). */
  readonly handshakeTimeoutMs?: number;
  /** Time a non-LAN IP waits between inbound attempts in ms (default 30 s). */
  readonly inboundThrottleMs?: number;
  /**
   * Bytes of large incoming messages all peers may be receiving, decrypting and decompressing
   * at once (default 32 MiB): a peer whose next frame body is over `ingressThresholdBytes` stops
   * being read until the pool has room for it. A body larger than the pool passes alone.
   */
  readonly ingressBudgetBytes?: number;
  /** Frame bodies up to this size never wait for the ingress budget (default 64 KiB). */
  readonly ingressThresholdBytes?: number;
  /**
   * The ingress budget itself, to share it (a node charges its eth responses not yet written
   * to it, so received and outgoing bytes have one bound); `ingressBudgetBytes` and
   * `ingressThresholdBytes` are then not used. Default: the server makes its own.
   */
  readonly ingressBudget?: IngressBudget;
  /** Tuning of the dial scheduler. */
  readonly dialer?: DialerTuning;
  /**
   * Where the ban list persists (normally the node database, `NodeDatabase` of
   * `@ethp2p/enode`); none: bans last until the process ends.
   */
  readonly banStore?: BanStore;
  /** How long a ban by reputation score lasts, in ms (default 12 h, as Reth). */
  readonly banDurationMs?: number;
  /**
   * Whether a LAN or loopback IP may be banned by its reputation score (default false: such an
   * IP is often shared by many nodes; node IDs and `reputation.ban()` are not affected).
   */
  readonly banLanIps?: boolean;
}

/** Tuning of the dial scheduler; production code rarely needs it (tests shorten the waits). */
export interface DialerTuning {
  /** How long a dialed node is not dialed again, in ms (default 35 s). */
  readonly historyExpirationMs?: number;
  /** Least time between two lookup starts, in ms (default 4 s). */
  readonly lookupIntervalMs?: number;
  /** Dials running at once (default 16). */
  readonly maxActiveDials?: number;
}

/** A listen address split into its parts. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** {@link ServerOptions} checked, with every default filled in. */
export interface ServerConfig {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly id: NodeId;
  readonly name: string;
  readonly maxPeers: number;
  readonly maxPendingPeers: number;
  readonly maxPendingPerIp: number;
  readonly handshakeIdleTimeoutMs: number;
  readonly dialRatio: number;
  readonly noDial: boolean;
  /** geth `maxDialedConns`: 0 with noDial or maxPeers 0, else max(1, ⌊maxPeers/dialRatio⌋). */
  readonly maxDialedConns: number;
  /** geth `maxInboundConns`: maxPeers − maxDialedConns. */
  readonly maxInboundConns: number;
  readonly listen: ListenAddress | null;
  readonly staticNodes: readonly Node[];
  readonly trustedNodes: readonly Node[];
  readonly netRestrict: NetRestrict | undefined;
  readonly protocols: readonly Protocol[];
  /** The IP to advertise, from `externalIp` or `nat: 'extip:'`, or undefined. */
  readonly externalIp: string | undefined;
  readonly nodeSource: NodeSource | undefined;
  readonly localNode: LocalNode | undefined;
  readonly enableMsgEvents: boolean;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: Random;
  readonly dialTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  readonly inboundThrottleMs: number;
  readonly ingressBudgetBytes: number;
  readonly ingressThresholdBytes: number;
  readonly ingressBudget: IngressBudget | undefined;
  readonly dialer: DialerTuning;
  readonly banStore: BanStore | undefined;
  readonly banDurationMs: number | undefined;
  readonly banLanIps: boolean;
}

/**
 * Checks `options` and fills in the defaults.
 * @throws {TypeError} for a missing or invalid private key, a bad listen address, IP, NAT
 *   setting, node list or protocol
 * @throws {RangeError} for a count, ratio or timeout out of range
 */
export function resolveServerConfig(options: ServerOptions): ServerConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected an object, got ${String(options)}`);
  }
  const { privateKey } = options;
  if (!(privateKey instanceof Uint8Array) || !isValidPrivateKey(privateKey)) {
    throw new TypeError('privateKey: expected a 32-byte secp256k1 private key');
  }
  const publicKey = derivePublicKey(privateKey);
  const maxPeers = count('maxPeers', options.maxPeers ?? DEFAULT_MAX_PEERS, 0);
  const dialRatio = count('dialRatio', options.dialRatio ?? DEFAULT_DIAL_RATIO, 1);
  const noDial = options.noDial ?? false;
  const maxDialedConns =
    noDial || maxPeers === 0 ? 0 : Math.max(1, Math.floor(maxPeers / dialRatio));
  return {
    privateKey: Uint8Array.from(privateKey),
    publicKey,
    id: nodeIdFromPublicKey(publicKey),
    name: checkName(options.name ?? DEFAULT_NAME),
    maxPeers,
    maxPendingPeers: count(
      'maxPendingPeers',
      options.maxPendingPeers ?? DEFAULT_MAX_PENDING_PEERS,
      1,
    ),
    maxPendingPerIp: count(
      'maxPendingPerIp',
      options.maxPendingPerIp ?? DEFAULT_MAX_PENDING_PER_IP,
      1,
    ),
    handshakeIdleTimeoutMs: count(
      'handshakeIdleTimeoutMs',
      options.handshakeIdleTimeoutMs ?? DEFAULT_HANDSHAKE_IDLE_TIMEOUT_MS,
      1,
    ),
    dialRatio,
    noDial,
    maxDialedConns,
    maxInboundConns: maxPeers - maxDialedConns,
    listen: parseListenAddress(options.listenAddress),
    staticNodes: nodeList('staticNodes', options.staticNodes),
    trustedNodes: nodeList('trustedNodes', options.trustedNodes),
    netRestrict: netRestrict(options.netRestrict),
    protocols: protocolList(options.protocols),
    externalIp: externalIp(options.externalIp, options.nat),
    nodeSource: options.nodeSource,
    localNode: options.localNode,
    enableMsgEvents: options.enableMsgEvents ?? false,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    dialTimeoutMs: count('dialTimeoutMs', options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS, 1),
    handshakeTimeoutMs: count(
      'handshakeTimeoutMs',
      options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      1,
    ),
    ingressBudgetBytes: count(
      'ingressBudgetBytes',
      options.ingressBudgetBytes ?? DEFAULT_INGRESS_BUDGET_BYTES,
      1,
    ),
    ingressThresholdBytes: count(
      'ingressThresholdBytes',
      options.ingressThresholdBytes ?? DEFAULT_INGRESS_THRESHOLD_BYTES,
      1,
    ),
    ingressBudget: options.ingressBudget,
    dialer: dialerTuning(options.dialer),
    banStore: options.banStore,
    banDurationMs: options.banDurationMs,
    banLanIps: options.banLanIps ?? false,
    inboundThrottleMs: count(
      'inboundThrottleMs',
      options.inboundThrottleMs ?? INBOUND_THROTTLE_MS,
      0,
    ),
  };
}

function count(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${field}: expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function dialerTuning(tuning: DialerTuning | undefined): DialerTuning {
  if (tuning === undefined) return {};
  if (typeof tuning !== 'object' || tuning === null) {
    throw new TypeError(`dialer: expected an object, got ${String(tuning)}`);
  }
  const out: { -readonly [K in keyof DialerTuning]: number } = {};
  const { historyExpirationMs, lookupIntervalMs, maxActiveDials } = tuning;
  if (historyExpirationMs !== undefined) {
    out.historyExpirationMs = count('dialer.historyExpirationMs', historyExpirationMs, 1);
  }
  if (lookupIntervalMs !== undefined) {
    out.lookupIntervalMs = count('dialer.lookupIntervalMs', lookupIntervalMs, 0);
  }
  if (maxActiveDials !== undefined) {
    out.maxActiveDials = count('dialer.maxActiveDials', maxActiveDials, 1);
  }
  return out;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new TypeError(`name: expected string, got ${typeof name}`);
  if (name.length > MAX_NAME_LENGTH) {
    throw new RangeError(
      `name: expected at most ${MAX_NAME_LENGTH} characters, got ${name.length}`,
    );
  }
  return name;
}

/**
 * Parses `host:port` (`[v6]:port` for IPv6; an empty host means all interfaces).
 * @throws {TypeError} when it is not of that shape or the host is not an IP address
 * @throws {RangeError} for a port outside 0–65535
 */
export function parseListenAddress(text: string | null | undefined): ListenAddress | null {
  if (text === null) return null;
  const value = text ?? DEFAULT_LISTEN_ADDRESS;
  if (typeof value !== 'string') {
    throw new TypeError(`listenAddress: expected "host:port", got ${typeof value}`);
  }
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  if (match === null) throw new TypeError(`listenAddress: expected "host:port", got ${value}`);
  const rawHost = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 0xffff) throw new RangeError(`listenAddress: expected a port in 0-65535, got ${port}`);
  if (rawHost === '') return { host: match[1] === undefined ? '0.0.0.0' : '::', port };
  const host = normalizeIp(rawHost);
  if (host === undefined)
    throw new TypeError(`listenAddress: expected an IP address, got ${rawHost}`);
  return { host, port };
}

function nodeList(field: string, nodes: readonly Node[] | undefined): readonly Node[] {
  if (nodes === undefined) return [];
  if (!Array.isArray(nodes)) throw new TypeError(`${field}: expected an array of Node`);
  for (const node of nodes) {
    if (!(node instanceof Node)) throw new TypeError(`${field}: expected an array of Node`);
  }
  return [...nodes];
}

function netRestrict(list: NetRestrict | readonly string[] | undefined): NetRestrict | undefined {
  if (list === undefined || list instanceof NetRestrict) return list;
  if (!Array.isArray(list)) throw new TypeError('netRestrict: expected an array of CIDR strings');
  return new NetRestrict(list);
}

function protocolList(protocols: readonly Protocol[] | undefined): readonly Protocol[] {
  if (protocols === undefined) return [];
  if (!Array.isArray(protocols)) throw new TypeError('protocols: expected an array of Protocol');
  const seen = new Set<string>();
  for (const p of protocols as readonly Protocol[]) {
    if (typeof p?.name !== 'string' || p.name.length === 0 || typeof p.run !== 'function') {
      throw new TypeError('protocols: expected objects with a name and a run() function');
    }
    if (!Number.isSafeInteger(p.version) || p.version < 0) {
      throw new RangeError(`protocols: ${p.name} version: expected a non-negative integer`);
    }
    if (!Number.isSafeInteger(p.length) || p.length < 1) {
      throw new RangeError(`protocols: ${p.name} length: expected a positive integer`);
    }
    const key = `${p.name}/${p.version}`;
    if (seen.has(key)) throw new TypeError(`protocols: ${key} is listed twice`);
    seen.add(key);
  }
  return [...protocols];
}

function externalIp(ip: string | undefined, nat: NatOption | undefined): string | undefined {
  let fromNat: string | undefined;
  if (nat !== undefined && nat !== 'none') {
    if (typeof nat !== 'string' || !nat.startsWith('extip:')) {
      throw new TypeError(`nat: expected 'none' or 'extip:<ip>', got ${String(nat)}`);
    }
    fromNat = checkIp('nat', nat.slice('extip:'.length));
  }
  const fromOption = ip === undefined ? undefined : checkIp('externalIp', ip);
  if (fromNat !== undefined && fromOption !== undefined && fromNat !== fromOption) {
    throw new TypeError(`externalIp: ${fromOption} disagrees with nat ${String(nat)}`);
  }
  return fromOption ?? fromNat;
}

function checkIp(field: string, text: unknown): string {
  const ip = typeof text === 'string' ? normalizeIp(text) : undefined;
  if (ip === undefined)
    throw new TypeError(`${field}: expected an IP address, got ${String(text)}`);
  return ip;
}
