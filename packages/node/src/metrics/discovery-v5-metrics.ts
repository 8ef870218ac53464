/**
 * Discovery v5 metrics under `ethp2p_discv5_`, read from `DiscoveryV5.metrics` (the service's
 * counters and its rpc's) and its table at scrape time: table size and per-bucket counts, packets
 * by direction, drops by reason, handshakes by role, sessions and pending challenges and calls.
 * @module
 */
import type { DiscoveryV5Metrics, DiscV5RpcMetrics } from '@ethp2p/discovery';
import type { Node, NodeId } from '@ethp2p/enode';
import type { Registry } from 'prom-client';
import { type Series, scraped } from './collect.ts';
import { bucketCounts } from './discovery-metrics.ts';

/** What one scrape reads from discovery v5 (undefined while it is off or not started). */
export interface DiscoveryV5Snapshot {
  readonly metrics: DiscoveryV5Metrics;
  readonly nodes: readonly Node[];
  readonly self: NodeId;
}

/** The service's own counters, by metric name. */
const SERVICE_COUNTERS = [
  ['findnode_requests', 'FINDNODE requests answered from the table', 'findNodeRequests'],
  ['nodes_served', 'table nodes sent in NODES answers', 'nodesServed'],
  ['talk_requests', 'TALKREQ requests received', 'talkRequests'],
  [
    'talk_unknown_protocol',
    'TALKREQ requests for a protocol nobody registered',
    'talkUnknownProtocol',
  ],
  ['talk_handler_errors', 'TALKREQ handlers that threw or rejected', 'talkHandlerErrors'],
  ['nodes_seen', 'nodes that completed a handshake, offered to the table', 'nodesSeen'],
  ['records_refetched', 'newer records fetched after a PONG announced them', 'recordsRefetched'],
] as const;

/** The rpc's gauges, by metric name. */
const RPC_GAUGES = [
  ['sessions', 'discv5 sessions held', 'sessions'],
  ['pending_challenges', 'WHOAREYOU challenges awaiting a handshake', 'pendingChallenges'],
  ['pending_calls', 'discv5 requests awaiting a response', 'pendingCalls'],
] as const;

type RpcCount = {
  [K in keyof DiscV5RpcMetrics]: DiscV5RpcMetrics[K] extends number ? K : never;
}[keyof DiscV5RpcMetrics];

/** A reader of rpc counters as series, one per value of `label`. */
function rpcSeries(
  m: () => DiscoveryV5Metrics | undefined,
  label: string,
  fields: Readonly<Record<string, RpcCount>>,
): () => Series[] {
  return () => {
    const rpc = m()?.rpc;
    if (rpc === undefined) return [];
    return Object.entries(fields).map(([value, key]): Series => [{ [label]: value }, rpc[key]]);
  };
}

/** Registers the discovery v5 metrics; `snap` gives this scrape's snapshot. */
export function registerDiscoveryV5Metrics(
  registry: Registry,
  snap: () => DiscoveryV5Snapshot | undefined,
): void {
  const m = (): DiscoveryV5Metrics | undefined => snap()?.metrics;
  scraped(
    'gauge',
    registry,
    'ethp2p_discv5_table_nodes',
    'nodes in the discovery v5 table',
    () => snap()?.nodes.length ?? 0,
  );
  scraped(
    'gauge',
    registry,
    'ethp2p_discv5_bucket_nodes',
    "nodes in each of the discovery v5 table's buckets (geth's 17)",
    (): Series[] => {
      const s = snap();
      if (s === undefined) return [];
      return bucketCounts(s.self, s.nodes).map((n, i): Series => [{ bucket: String(i) }, n]);
    },
    ['bucket'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discv5_packets_total',
    'discv5 packets by direction (every datagram handed to discv5 counts as received)',
    rpcSeries(m, 'direction', { ingress: 'packetsIn', egress: 'packetsOut' }),
    ['direction'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discv5_dropped_total',
    'inbound discv5 packets, messages and records dropped, by reason',
    (): Series[] => Object.entries(m()?.rpc.dropped ?? {}).map(([reason, n]) => [{ reason }, n]),
    ['reason'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discv5_handshakes_total',
    'completed discv5 handshakes, by our role',
    rpcSeries(m, 'role', { initiator: 'handshakesInitiated', recipient: 'handshakesAccepted' }),
    ['role'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discv5_whoareyou_sent_total',
    'WHOAREYOU challenges sent',
    () => m()?.rpc.whoareyouSent ?? 0,
  );
  for (const [name, help, key] of RPC_GAUGES)
    scraped('gauge', registry, `ethp2p_discv5_${name}`, help, () => m()?.rpc[key] ?? 0);
  for (const [name, help, key] of SERVICE_COUNTERS)
    scraped('counter', registry, `ethp2p_discv5_${name}_total`, help, () => m()?.[key] ?? 0);
}
