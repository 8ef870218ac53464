/**
 * Discovery v4 metrics, read from `DiscoveryV4.metrics` and its table at scrape time: geth's
 * per-bucket node counts (`discover/bucket/<i>/count`, `p2p/discover/metrics.go`) and, under
 * `ethp2p_discover_`, packets by type, drops by reason and the other counters.
 * @module
 */
import type { DiscoveryMetrics } from '@ethp2p/discovery';
import { logDistance, type Node, type NodeId } from '@ethp2p/enode';
import type { Registry } from 'prom-client';
import { type Series, scraped } from './collect.ts';
import { gethName } from './names.ts';

/** geth's table shape (`p2p/discover/table.go`): 17 buckets; distances up to 239 share bucket 0. */
const N_BUCKETS = 17;
const BUCKET_MIN_DISTANCE = 256 - N_BUCKETS;

/** What one scrape reads from discovery (undefined while it is off or not started). */
export interface DiscoverySnapshot {
  readonly metrics: DiscoveryMetrics;
  readonly nodes: readonly Node[];
  readonly self: NodeId;
}

/** The geth bucket of a node at log distance `d` from us. */
function bucketOf(d: number): number {
  return d <= BUCKET_MIN_DISTANCE ? 0 : d - BUCKET_MIN_DISTANCE - 1;
}

/** How many of `nodes` each of geth's 17 buckets around `self` holds. */
export function bucketCounts(self: NodeId, nodes: readonly Node[]): number[] {
  const counts = new Array<number>(N_BUCKETS).fill(0);
  for (const n of nodes) {
    const b = bucketOf(logDistance(self, n.id));
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return counts;
}

/** Registers the discovery metrics; `snap` gives this scrape's snapshot. */
export function registerDiscoveryMetrics(
  registry: Registry,
  snap: () => DiscoverySnapshot | undefined,
): void {
  let counted: { of: DiscoverySnapshot; buckets: number[] } | undefined;
  const buckets = (): number[] => {
    const s = snap();
    if (s === undefined) return new Array<number>(N_BUCKETS).fill(0);
    if (counted?.of !== s) counted = { of: s, buckets: bucketCounts(s.self, s.nodes) };
    return counted.buckets;
  };
  for (let i = 0; i < N_BUCKETS; i++) {
    scraped(
      'gauge',
      registry,
      gethName(`discover/bucket/${i}/count`),
      `nodes in discovery table bucket ${i}`,
      () => buckets()[i] ?? 0,
    );
  }
  scraped(
    'gauge',
    registry,
    'ethp2p_discover_table_nodes',
    'nodes in the discovery table',
    () => snap()?.nodes.length ?? 0,
  );
  const m = (): DiscoveryMetrics | undefined => snap()?.metrics;
  scraped(
    'counter',
    registry,
    'ethp2p_discover_packets_total',
    'discv4 packets by direction and type (received ones counted once decoded)',
    (): Series[] => {
      const s = m();
      if (s === undefined) return [];
      return [
        ...Object.entries(s.packetsIn).map(
          ([type, n]): Series => [{ direction: 'ingress', type }, n],
        ),
        ...Object.entries(s.packetsOut).map(
          ([type, n]): Series => [{ direction: 'egress', type }, n],
        ),
      ];
    },
    ['direction', 'type'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discover_dropped_total',
    'inbound discv4 datagrams dropped, by reason',
    (): Series[] => Object.entries(m()?.dropped ?? {}).map(([reason, n]) => [{ reason }, n]),
    ['reason'],
  );
  const single = [
    ['ethp2p_discover_timeouts_total', 'requests that got no complete reply in time', 'timeouts'],
    [
      'ethp2p_discover_neighbors_rejected_total',
      'Neighbors entries discarded (bad endpoint or key, or ourselves)',
      'neighborsRejected',
    ],
    [
      'ethp2p_discover_handler_errors_total',
      'datagrams whose handling threw unexpectedly',
      'handlerErrors',
    ],
    [
      'ethp2p_discover_ping_backs_skipped_total',
      'ping-backs not sent (one pending, or the limit reached)',
      'pingBacksSkipped',
    ],
    [
      'ethp2p_discover_unhandled_total',
      'datagrams discv4 did not recognise, handed to discv5 on the shared socket',
      'unhandled',
    ],
  ] as const;
  for (const [name, help, field] of single)
    scraped('counter', registry, name, help, () => m()?.[field] ?? 0);
  registerSignatureMetrics(registry, m);
}

/** The discv4 signature pool: its size, its queue, and the work it shed by class. */
function registerSignatureMetrics(registry: Registry, m: () => DiscoveryMetrics | undefined): void {
  scraped(
    'gauge',
    registry,
    'ethp2p_discover_signature_workers',
    'worker threads doing discv4 signature work (0: on the main thread)',
    () => m()?.signatures.workers ?? 0,
  );
  scraped(
    'gauge',
    registry,
    'ethp2p_discover_signature_queued',
    'discv4 signature work waiting for a worker',
    () => m()?.signatures.queued ?? 0,
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discover_signature_shed_total',
    'discv4 signature work dropped under overload, by class (ping, request, own)',
    (): Series[] =>
      Object.entries(m()?.signatures.shed ?? {}).map(([workClass, n]) => [{ class: workClass }, n]),
    ['class'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_discover_signature_respawns_total',
    'discv4 signature workers that died and were replaced',
    () => m()?.signatures.respawns ?? 0,
  );
}
