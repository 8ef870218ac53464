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

/** Each metric: name (after the prefix), kind, help and the field it reads. */
const METRICS = [
  ['handled_total', 'counter', 'eth messages handled at their peer turn', 'handled'],
  [
    'handling_milliseconds_total',
    'counter',
    'time spent decoding, serving and framing eth messages, in ms',
    'handlingMs',
  ],
  ['response_bytes_total', 'counter', 'bytes of eth responses charged to peers', 'responseBytes'],
  [
    'deferred_total',
    'counter',
    'eth messages that waited because their peer was over its budget',
    'deferred',
  ],
  [
    'dropped_total',
    'counter',
    'peers dropped (useless peer) for staying over their serve budget',
    'dropped',
  ],
  ['peers', 'gauge', 'eth peers with a serve budget', 'peers'],
  ['throttled', 'gauge', 'eth peers whose message waits for their budget now', 'throttled'],
] as const;

/** Registers the serve budget metrics; `snap` gives this scrape's snapshot. */
export function registerServeBudgetMetrics(registry: Registry, snap: ServeBudgetSnapshot): void {
  for (const [name, kind, help, key] of METRICS) {
    scraped(
      kind,
      registry,
      `ethp2p_eth_serve_${name}`,
      help,
      field(snap, (m) => m[key]),
    );
  }
}
