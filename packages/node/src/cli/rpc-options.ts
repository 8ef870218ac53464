/**
 * The RPC flags of `ethp2p node`, with geth's names and defaults: `--http`, `--http.addr`,
 * `--http.port`, `--http.api`, `--http.vhosts`, `--http.corsdomain`, `--ws`, `--ws.addr`,
 * `--ws.port`, `--ws.api`, `--ws.origins`, and `--dashboard`, served on the HTTP server.
 * @module
 */
import { normalizeIp } from '@ethp2p/enode';
import type { FullNodeOptions } from '../node/config.ts';
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_RPC_HOST,
  DEFAULT_WS_PORT,
  type HttpRpcOptions,
  type WsRpcOptions,
} from '../node/rpc-servers.ts';
import { NODE_RPC_NAMESPACES } from '../rpc/api/index.ts';
import type { OptionSpecs, OptionValues } from './args.ts';
import { usageError } from './errors.ts';

const APIS = NODE_RPC_NAMESPACES.join(',');

/** The RPC flags. */
export const RPC_NODE_OPTIONS: OptionSpecs = {
  http: { type: 'boolean', description: 'serve JSON-RPC over HTTP (off by default)' },
  'http.addr': {
    type: 'string',
    valueName: 'ip',
    default: DEFAULT_RPC_HOST,
    description: 'HTTP-RPC listen address (loopback unless told otherwise)',
  },
  'http.port': {
    type: 'string',
    valueName: 'port',
    default: String(DEFAULT_HTTP_PORT),
    description: 'HTTP-RPC port; 0 picks a free one (logged)',
  },
  'http.api': {
    type: 'string',
    valueName: 'list',
    default: APIS,
    description: 'namespaces served over HTTP',
  },
  'http.vhosts': {
    type: 'string',
    valueName: 'list',
    default: 'localhost',
    description: 'host names accepted in the Host header (IPs always are; * for any)',
  },
  'http.corsdomain': {
    type: 'string',
    valueName: 'list',
    description: 'browser origins allowed to call over HTTP (* for any)',
  },
  ws: { type: 'boolean', description: 'serve JSON-RPC over WebSocket (off by default)' },
  'ws.addr': {
    type: 'string',
    valueName: 'ip',
    default: DEFAULT_RPC_HOST,
    description: 'WS-RPC listen address (loopback unless told otherwise)',
  },
  'ws.port': {
    type: 'string',
    valueName: 'port',
    default: String(DEFAULT_WS_PORT),
    description: 'WS-RPC port (the same as --http.port shares that server); 0 picks a free one',
  },
  'ws.api': {
    type: 'string',
    valueName: 'list',
    default: APIS,
    description: 'namespaces served over WebSocket',
  },
  'ws.origins': {
    type: 'string',
    valueName: 'list',
    description: 'browser origins allowed to connect (default http://localhost; * for any)',
  },
  dashboard: {
    type: 'boolean',
    description: 'serve the live dashboard at / of the HTTP server (needs --http)',
  },
};

/**
 * The `http`, `ws` and `dashboard` node options the flags ask for (none when `--http`/`--ws`
 * are off).
 * @throws {CliError} `USAGE` for `--dashboard` without `--http`, or a bad address
 */
export function rpcOptionsOf(o: OptionValues): Pick<FullNodeOptions, 'http' | 'ws' | 'dashboard'> {
  const dashboard = o.boolean('dashboard');
  if (dashboard && !o.boolean('http')) {
    throw usageError(`${o.origin('dashboard')} needs --http: it is served on the HTTP port`);
  }
  const corsDomains = o.list('http.corsdomain');
  const origins = o.list('ws.origins');
  const http: HttpRpcOptions = {
    ...endpointOf(o, 'http', DEFAULT_HTTP_PORT),
    vhosts: o.list('http.vhosts'),
    ...(corsDomains.length === 0 ? {} : { corsDomains }),
  };
  const ws: WsRpcOptions = {
    ...endpointOf(o, 'ws', DEFAULT_WS_PORT),
    ...(origins.length === 0 ? {} : { origins }),
  };
  return {
    ...(o.boolean('http') ? { http } : {}),
    ...(o.boolean('ws') ? { ws } : {}),
    ...(dashboard ? { dashboard } : {}),
  };
}

/** `--<kind>.addr`, `--<kind>.port` and `--<kind>.api`. */
function endpointOf(
  o: OptionValues,
  kind: 'http' | 'ws',
  defaultPort: number,
): { host: string; port: number; api: string[] } {
  return {
    host: addrOf(o, `${kind}.addr`),
    port: o.port(`${kind}.port`) ?? defaultPort,
    api: o.list(`${kind}.api`),
  };
}

function addrOf(o: OptionValues, flag: string): string {
  const text = o.string(flag) ?? DEFAULT_RPC_HOST;
  if (text === 'localhost') return text;
  const ip = normalizeIp(text);
  if (ip === undefined)
    throw usageError(`${o.origin(flag)}: expected an IP address, got '${text}'`);
  return ip;
}
