/**
 * The eth serve budget's metrics under `ethp2p_eth_serve_`, read from `ServeBudget.metrics` at
 * scrape time: messages handled and their handling time, response bytes, messages deferred by a
 * peer's budget, peers dropped for staying over it, the peers throttled now, and the response
 * bytes in flight (not yet taken by the transport) across all peers.
 * @module
 */
import type { ServeBudgetMetrics } from '@ethp2p/eth';
import type { Registry } from 'prom-client';
import { type FieldMetric, registerFields } from './collect.ts';

/** Reads the budget's snapshot of this scrape (undefined when there is none). */
export type ServeBudgetSnapshot = () => ServeBudgetMetrics | undefined;

/** Each metric: name (after the prefix), kind, help and the field it reads. */
const METRICS: readonly FieldMetric<ServeBudgetMetrics>[] = [
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
  [
    'in_flight_bytes',
    'gauge',
    'bytes of eth responses of all peers not yet taken by the transport',
    'inFlightBytes',
  ],
  [
    'in_flight_bytes_peak',
    'gauge',
    'the most bytes of eth responses in flight at once so far',
    'peakInFlightBytes',
  ],
  [
    'waiting_for_room',
    'gauge',
    'eth peers whose message waits for the cap on all responses in flight',
    'waitingForRoom',
  ],
];

/** Registers the serve budget metrics; `snap` gives this scrape's snapshot. */
export function registerServeBudgetMetrics(registry: Registry, snap: ServeBudgetSnapshot): void {
  registerFields(registry, 'ethp2p_eth_serve_', METRICS, snap);
}
