/**
 * The server's ingress budget under `ethp2p_ingress_budget_`, read from `Server.ingressMetrics`
 * at scrape time: the bytes it holds now (large messages received and not yet handled, and, in
 * a node, eth responses not yet written) and at most, the connections waiting for room, and the
 * grants and waits so far.
 * @module
 */
import type { IngressBudgetStats } from '@ethp2p/rlpx';
import type { Registry } from 'prom-client';
import { type FieldMetric, registerFields } from './collect.ts';

const METRICS: readonly FieldMetric<IngressBudgetStats>[] = [
  ['held_bytes', 'gauge', 'bytes held: messages not yet handled, responses unwritten', 'heldBytes'],
  ['held_bytes_peak', 'gauge', 'the most bytes held at once', 'peakHeldBytes'],
  ['waiting', 'gauge', 'connections waiting for room now', 'waiting'],
  ['grants_total', 'counter', 'room granted to large incoming messages', 'grants'],
  ['waits_total', 'counter', 'large incoming messages that waited for room', 'waits'],
];

/** Registers the ingress budget metrics; `snap` gives this scrape's snapshot. */
export function registerIngressMetrics(
  registry: Registry,
  snap: () => IngressBudgetStats | undefined,
): void {
  registerFields(registry, 'ethp2p_ingress_budget_', METRICS, snap);
}
