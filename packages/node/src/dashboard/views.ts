/**
 * Pure conversions from the node's objects to the dashboard's message shapes.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import { logDistance, type Node, type NodeId, nodeIdToHex } from '@ethp2p/enode';
import type { ChainHeader } from '@ethp2p/eth';
import type { Peer, Server } from '@ethp2p/server';
import { clientName } from '../node/status.ts';
import type { HeadView, PeerStats, PeerView, TableView, TrafficCounts } from './messages.ts';
import { MAX_NAME_CHARS } from './messages.ts';

/** The server's bytes on the wire so far, every peer's (geth `p2p/ingress`, `p2p/egress`). */
export function serverTraffic(server: Pick<Server, 'metrics'>): TrafficCounts {
  const { ingressBytes, egressBytes } = server.metrics;
  return { bytesIn: ingressBytes, bytesOut: egressBytes };
}

/** A peer's changing figures: its round trip and its bytes on the wire. */
export function peerStats(peer: Peer): PeerStats {
  const rtt = peer.rtt;
  const { ingressBytes, egressBytes } = peer.traffic;
  return {
    id: nodeIdToHex(peer.id),
    rtt: rtt === undefined ? null : { lastMs: rtt.lastMs, smoothedMs: rtt.smoothedMs },
    bytesIn: ingressBytes,
    bytesOut: egressBytes,
  };
}

/** A peer as the peers table shows it. */
export function peerView(peer: Peer): PeerView {
  return {
    ...peerStats(peer),
    name: peer.name.slice(0, MAX_NAME_CHARS),
    client: clientName(peer.name),
    caps: peer.caps.map((c) => `${c.name}/${c.version}`),
    direction: peer.inbound ? 'inbound' : 'outbound',
    remoteAddress: peer.remoteAddress,
  };
}

/** The table's nodes counted by log distance from `self`, nearest first. */
export function tableView(self: NodeId, nodes: readonly Node[]): TableView {
  const counts = new Map<number, number>();
  for (const node of nodes) {
    const d = logDistance(self, node.id);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const buckets = [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([distance, count]) => ({ distance, count }));
  return { size: nodes.length, buckets };
}

/** The head block. */
export function headView(head: ChainHeader): HeadView {
  return { number: head.number.toString(), hash: `0x${bytesToHex(head.hash)}` };
}
