/**
 * The eth serve budget's metrics under `ethp2p_eth_serve_`, read from `ServeBudget.metrics` at
 * scrape time: messages handled and their handling time, response bytes, messages deferred by a
 * peer's budget, peers dropped for staying over it, and the peers throttled now.
 * @module
 */
import type { ServeBudgetMetrics } from '@ethp2p/eth';
import type { Registry } from 'prom-client';
import { field, scraped } from './collect.ts';

/** Reads the budget's snapshot of this scrape (undefined when there is none). */
export type ServeBudgetSnapshot = () => ServeBudgetMetrics | undefined;

const COUNTERS = [
  ['handled_total', 'eth messages handled at their peer turn', 'handled'],
  [
    'handling_milliseconds_total',
    'time spent decoding, serving and framing eth messages, in ms',
    'handlingMs',
  ],
  ['response_bytes_total', 'bytes of eth responses charged to peers', 'responseBytes'],
  ['deferred_total', 'eth messages that waited because their peer was over its budget', 'deferred'],
  ['dropped_total', 'peers dropped (useless peer) for staying over their serve budget', 'dropped'],
] as const;

const GAUGES = [
  ['peers', 'eth peers with a serve budget', 'peers'],
  ['throttled', 'eth peers whose message waits for their budget now', 'throttled'],
] as const;

/** Registers the serve budget metrics; `snap` gives this scrape's snapshot. */
export function registerServeBudgetMetrics(registry: Registry, snap: ServeBudgetSnapshot): void {
  for (const [name, help, key] of COUNTERS) {
    scraped(
      'counter',
      registry,
      `ethp2p_eth_serve_${name}`,
      help,
      field(snap, (m) => m[key]),
    );
  }
  for (const [name, help, key] of GAUGES) {
    scraped(
      'gauge',
      registry,
      `ethp2p_eth_serve_${name}`,
      help,
      field(snap, (m) => m[key]),
    );
  }
}
