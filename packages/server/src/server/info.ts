/**
 * `nodeInfo()` and `peersInfo()`: plain JSON-friendly objects shaped like geth's
 * `admin_nodeInfo` and `admin_peers` (`p2p.NodeInfo`, `p2p.PeerInfo`), in camelCase.
 * @module
 */
import { type Node, type NodeId, nodeIdToHex } from '@ethp2p/enode';
import type { PeerTraffic } from '../peer/peer.ts';
import type { PeerRtt } from '../peer/rtt.ts';
import type { Cap, Protocol } from '../protocol.ts';

/** This node, as `admin_nodeInfo` shows it. */
export interface NodeInfo {
  /** The node ID in hex (64 characters, no 0x). */
  readonly id: string;
  /** The client name sent in Hello. */
  readonly name: string;
  /** The enode URL. */
  readonly enode: string;
  /** The `enr:` text of the local record, when there is one. */
  readonly enr?: string;
  /** The advertised IP address. */
  readonly ip: string;
  readonly ports: {
    /** The advertised UDP (discovery) port; 0 when none. */
    readonly discovery: number;
    /** The TCP listening port; 0 when not listening. */
    readonly listener: number;
  };
  /** The bound `host:port` (`[v6]:port`), or `''` when not listening. */
  readonly listenAddr: string;
  /** Each protocol's `nodeInfo()`, or `'unknown'` when it has none (geth). */
  readonly protocols: Readonly<Record<string, unknown>>;
}

/** One connected peer, as `admin_peers` shows it. */
export interface PeerInfo {
  /** The remote's record, when we dialed it from one. */
  readonly enr?: string;
  /** The remote's enode URL (the dialed endpoint, or the remote TCP address for inbound). */
  readonly enode: string;
  /** The remote node ID in hex. */
  readonly id: string;
  /** The remote client name from Hello. */
  readonly name: string;
  /** The remote's caps as `'name/version'`. */
  readonly caps: readonly string[];
  readonly network: {
    readonly localAddress: string;
    readonly remoteAddress: string;
    readonly inbound: boolean;
    readonly trusted: boolean;
    readonly static: boolean;
  };
  /**
   * For each protocol running with the peer: its `peerInfo(id)`, `'handshake'` when that gives
   * undefined (its handshake is not done), or `'unknown'` when it has no `peerInfo` (geth).
   */
  readonly protocols: Readonly<Record<string, unknown>>;
  /** Bytes on the wire and subprotocol messages so far (not in geth's `admin_peers`). */
  readonly traffic: PeerTraffic;
  /**
   * Ping → Pong round trip in ms, once a Pong came back (an ethp2p addition: geth has none):
   * the last one and the smoothed one.
   */
  readonly rtt?: { readonly lastMs: number; readonly smoothedMs: number };
}

/** What {@link buildNodeInfo} reads. */
export interface NodeInfoInput {
  readonly node: Node;
  readonly name: string;
  readonly listenAddr: string;
  readonly listenPort: number;
  readonly protocols: readonly Protocol[];
}

/** What {@link buildPeerInfo} reads about one peer. */
export interface PeerInfoInput {
  readonly id: NodeId;
  /** The node we dialed, or the remote public key and TCP address for inbound peers. */
  readonly node: Node;
  readonly name: string;
  readonly caps: readonly Cap[];
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly inbound: boolean;
  readonly trusted: boolean;
  readonly static: boolean;
  /** The protocols running with the peer. */
  readonly protocols: readonly Protocol[];
  readonly traffic: PeerTraffic;
  /** The peer's round-trip time, if measured. */
  readonly rtt?: PeerRtt | undefined;
}

/** The `admin_nodeInfo` view of the local node. */
export function buildNodeInfo(input: NodeInfoInput): NodeInfo {
  const { node } = input;
  const protocols: Record<string, unknown> = {};
  for (const p of input.protocols) {
    if (p.name in protocols) continue;
    protocols[p.name] = p.nodeInfo === undefined ? 'unknown' : p.nodeInfo();
  }
  return {
    id: nodeIdToHex(node.id),
    name: input.name,
    enode: node.enodeUrl(),
    ...(node.record === undefined ? {} : { enr: node.record.encodeText() }),
    ip: node.ip ?? '',
    ports: { discovery: node.udp ?? 0, listener: input.listenPort },
    listenAddr: input.listenAddr,
    protocols,
  };
}

/** The `admin_peers` entry of one peer. */
export function buildPeerInfo(input: PeerInfoInput): PeerInfo {
  const protocols: Record<string, unknown> = {};
  for (const p of input.protocols) {
    if (p.peerInfo === undefined) protocols[p.name] = 'unknown';
    else protocols[p.name] = p.peerInfo(input.id) ?? 'handshake';
  }
  return {
    ...(input.node.record === undefined ? {} : { enr: input.node.record.encodeText() }),
    enode: input.node.enodeUrl(),
    id: nodeIdToHex(input.id),
    name: input.name,
    caps: input.caps.map((c) => `${c.name}/${c.version}`),
    network: {
      localAddress: input.localAddress,
      remoteAddress: input.remoteAddress,
      inbound: input.inbound,
      trusted: input.trusted,
      static: input.static,
    },
    protocols,
    traffic: input.traffic,
    ...(input.rtt === undefined
      ? {}
      : { rtt: { lastMs: input.rtt.lastMs, smoothedMs: input.rtt.smoothedMs } }),
  };
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
