/**
 * `--http`, `--http.addr`, `--http.port` and `--dashboard` of `ethp2p node` (geth's HTTP flag
 * names and defaults). Until the node's JSON-RPC server lands they serve only the dashboard.
 * @module
 */
import { normalizeIp } from '@ethp2p/enode';
import type { OptionSpecs, OptionValues } from './args.ts';
import { usageError } from './errors.ts';

/** geth's `--http.addr` default: loopback only. */
export const DEFAULT_HTTP_ADDR = '127.0.0.1';
/** geth's `--http.port` default. */
export const DEFAULT_HTTP_PORT = 8545;

/** The flags. */
export const DASHBOARD_OPTIONS: OptionSpecs = {
  http: { type: 'boolean', description: 'serve HTTP on --http.addr:--http.port' },
  'http.addr': {
    type: 'string',
    valueName: 'ip',
    default: DEFAULT_HTTP_ADDR,
    description: 'IP address the HTTP server listens on',
  },
  'http.port': {
    type: 'string',
    valueName: 'port',
    default: String(DEFAULT_HTTP_PORT),
    description: 'HTTP port; 0 picks a free one',
  },
  dashboard: {
    type: 'boolean',
    description: 'serve the live dashboard page at / of the HTTP server (needs --http)',
  },
};

/** Where the dashboard's HTTP server listens. */
export interface DashboardListen {
  readonly host: string;
  readonly port: number;
}

/**
 * The dashboard's address, or undefined without `--dashboard`.
 * @throws {CliError} `USAGE` for `--dashboard` without `--http`, or a bad address
 */
export function dashboardListenOf(o: OptionValues): DashboardListen | undefined {
  if (!o.boolean('dashboard')) return undefined;
  if (!o.boolean('http')) {
    throw usageError(`${o.origin('dashboard')} needs --http: it is served on the HTTP port`);
  }
  const text = o.string('http.addr') ?? DEFAULT_HTTP_ADDR;
  const host = normalizeIp(text);
  if (host === undefined) {
    throw usageError(`${o.origin('http.addr')}: expected an IP address, got '${text}'`);
  }
  return { host, port: o.port('http.port') ?? DEFAULT_HTTP_PORT };
}
