/**
 * Pure conversions from the node's objects to the dashboard's message shapes.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import { logDistance, type Node, type NodeId, nodeIdToHex } from '@ethp2p/enode';
import type { ChainHeader } from '@ethp2p/eth';
import type { Peer } from '@ethp2p/server';
import { clientName } from '../node/status.ts';
import type { HeadView, PeerStats, PeerView, TableView } from './messages.ts';
import { MAX_NAME_CHARS } from './messages.ts';
import type { TrafficMeter } from './traffic.ts';

/** A peer's changing figures. */
export function peerStats(peer: Peer, traffic: TrafficMeter): PeerStats {
  const rtt = peer.rtt;
  const { bytesIn, bytesOut } = traffic.peer(peer);
  return {
    id: nodeIdToHex(peer.id),
    rtt: rtt === undefined ? null : { lastMs: rtt.lastMs, smoothedMs: rtt.smoothedMs },
    bytesIn,
    bytesOut,
  };
}

/** A peer as the peers table shows it. */
export function peerView(peer: Peer, traffic: TrafficMeter): PeerView {
  return {
    ...peerStats(peer, traffic),
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
