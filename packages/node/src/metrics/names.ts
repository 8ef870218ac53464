/**
 * Prometheus names of the node's metrics. Where geth has a metric, the name is geth's registry
 * name as its Prometheus exporter writes it (`metrics/prometheus`: every `/` becomes `_`, so
 * `p2p/dials/error/id/unexpected` is `p2p_dials_error_id_unexpected`). What geth lacks is named
 * under `ethp2p_`.
 * @module
 */

/** A geth registry name (`p2p/peers/inbound`) as geth's Prometheus exporter writes it. */
export function gethName(registryName: string): string {
  return registryName.replaceAll('/', '_');
}

/**
 * A message code as geth formats it in per-message metric names (`%#02x`: `0x00`, `0x0a`,
 * `0x10`).
 */
export function gethCode(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * geth's per-message meter of one direction, protocol version and code
 * (`p2p/ingress/eth/68/0x04`, bytes), or its packet count with `packets`.
 */
export function gethMessageName(
  direction: 'ingress' | 'egress',
  protocol: string,
  version: number,
  code: number,
  packets: boolean,
): string {
  const base = `p2p/${direction}/${protocol}/${version}/${gethCode(code)}`;
  return sanitize(gethName(packets ? `${base}/packets` : base));
}

/** A protocol name may hold characters a metric name cannot: they become `_`. */
function sanitize(name: string): string {
  return name.replaceAll(/[^a-zA-Z0-9_:]/g, '_');
}
