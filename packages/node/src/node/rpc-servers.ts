/**
 * The node's RPC servers: JSON-RPC over HTTP (`--http`) and WebSocket (`--ws`), each on its own
 * port, or sharing one when both name the same address (geth `node/node.go` `startRPC`).
 * @module
 */
import { hostname } from 'node:os';
import type { Logger } from '@ethp2p/base';
import { defaultWsOrigins } from '../http/access.ts';
import { RpcHttpServer } from '../http/http-server.ts';
import type { HttpRoute } from '../http/route.ts';
import { WsRpcEndpoint } from '../http/ws-rpc.ts';
import type { NodeRpcBackend } from '../rpc/api/backend.ts';
import { NODE_RPC_NAMESPACES, nodeRpcRegistry } from '../rpc/api/index.ts';
import { RpcHandler } from '../rpc/handler.ts';
import type { RpcRegistry } from '../rpc/registry.ts';
import { NodeError } from './errors.ts';

/** geth's `--http.addr` and `--ws.addr` default: loopback only. */
export const DEFAULT_RPC_HOST = '127.0.0.1';
/** geth's `--http.port`. */
export const DEFAULT_HTTP_PORT = 8545;
/** geth's `--ws.port`. */
export const DEFAULT_WS_PORT = 8546;

/** JSON-RPC over HTTP (geth `--http`). */
export interface HttpRpcOptions {
  /** The IP to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The port (default 8545); 0 lets the OS pick one. */
  readonly port?: number;
  /** Namespaces served (default every one: admin, eth, ethp2p, net, web3). */
  readonly api?: readonly string[];
  /** Host names served (default `localhost`; IP addresses always are; `*` any). */
  readonly vhosts?: readonly string[];
  /** Browser origins allowed by CORS (default none; `*` any). */
  readonly corsDomains?: readonly string[];
  /** Handlers consulted before JSON-RPC (the dashboard). */
  readonly routes?: readonly HttpRoute[];
}

/** JSON-RPC over WebSocket (geth `--ws`). */
export interface WsRpcOptions {
  /** The IP to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The port (default 8546); 0 lets the OS pick one. The HTTP address shares that server. */
  readonly port?: number;
  /** Namespaces served (default every one). */
  readonly api?: readonly string[];
  /** Browser origins allowed (default `http://localhost` and `http://<hostname>`; `*` any). */
  readonly origins?: readonly string[];
}

/** The running servers; `close()` closes them all. */
export interface RpcServers {
  /** The `http://host:port` URL, when HTTP is on. */
  readonly httpUrl: string | undefined;
  /** The `ws://host:port` URL, when WebSocket is on. */
  readonly wsUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the servers the options ask for, after the node's server runs.
 * @throws {NodeError} `PORT_IN_USE` or `LISTEN_FAILED`, with nothing left open
 */
export async function startRpcServers(
  backend: NodeRpcBackend,
  options: { readonly http?: HttpRpcOptions; readonly ws?: WsRpcOptions },
  log: Logger,
): Promise<RpcServers> {
  const { http, ws } = options;
  const registry = nodeRpcRegistry(backend);
  const handler = (api: readonly string[] | undefined, what: string): RpcHandler =>
    new RpcHandler({ registry: restrict(registry, api, what, log), logger: log });
  const endpoint =
    ws === undefined
      ? undefined
      : new WsRpcEndpoint({
          handler: handler(ws.api, 'WebSocket'),
          origins: ws.origins ?? defaultWsOrigins(hostname()),
          logger: log,
        });
  const wsAddr = { host: ws?.host ?? DEFAULT_RPC_HOST, port: ws?.port ?? DEFAULT_WS_PORT };
  if (ws !== undefined) warnExposedAdmin('ws', wsAddr.host, ws.api, log);
  const opened: RpcHttpServer[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(opened.map((s) => s.close()));
  };
  try {
    const started =
      http === undefined
        ? undefined
        : await startHttp(http, handler(http.api, 'HTTP'), wsAddr, endpoint, log);
    const httpServer = started?.server;
    if (httpServer !== undefined) opened.push(httpServer);
    let wsServer = started?.sharesWs === true ? httpServer : undefined;
    if (endpoint !== undefined) {
      if (wsServer === undefined) {
        wsServer = await listen('--ws.port', { ...wsAddr, ws: endpoint, logger: log });
        opened.push(wsServer);
      }
      log.info('WebSocket enabled', { url: `ws://${wsServer.endpoint}` });
    }
    return {
      httpUrl: httpServer === undefined ? undefined : `http://${httpServer.endpoint}`,
      wsUrl: wsServer === undefined ? undefined : `ws://${wsServer.endpoint}`,
      close,
    };
  } catch (err) {
    endpoint?.close();
    await close();
    throw err;
  }
}

/**
 * Starts the HTTP server; it also serves the WebSocket endpoint (`sharesWs`) when `ws` names the
 * same address.
 */
async function startHttp(
  http: HttpRpcOptions,
  rpc: RpcHandler,
  wsAddr: { readonly host: string; readonly port: number },
  endpoint: WsRpcEndpoint | undefined,
  log: Logger,
): Promise<{ readonly server: RpcHttpServer; readonly sharesWs: boolean }> {
  const host = http.host ?? DEFAULT_RPC_HOST;
  const port = http.port ?? DEFAULT_HTTP_PORT;
  warnExposedAdmin('http', host, http.api, log);
  const sharesWs =
    endpoint !== undefined && port !== 0 && port === wsAddr.port && host === wsAddr.host;
  const server = await listen('--http.port', {
    host,
    port,
    rpc,
    ...(sharesWs ? { ws: endpoint } : {}),
    ...(http.routes === undefined ? {} : { routes: http.routes }),
    ...(http.vhosts === undefined ? {} : { vhosts: http.vhosts }),
    ...(http.corsDomains === undefined ? {} : { corsOrigins: http.corsDomains }),
    logger: log,
  });
  log.info('HTTP server started', {
    endpoint: server.endpoint,
    cors: (http.corsDomains ?? []).join(','),
    vhosts: (http.vhosts ?? ['localhost']).join(','),
  });
  return { server, sharesWs };
}

/** The namespaces of `api` that exist; unknown ones are logged and skipped, as geth does. */
function restrict(
  registry: RpcRegistry,
  api: readonly string[] | undefined,
  what: string,
  log: Logger,
): RpcRegistry {
  const wanted = api ?? NODE_RPC_NAMESPACES;
  const available = registry.namespaces();
  const unknown = wanted.filter((ns) => !available.includes(ns));
  if (unknown.length > 0) {
    log.error(`unavailable modules in ${what} API list`, {
      unavailable: unknown.join(','),
      available: available.join(','),
    });
  }
  return registry.restrict(wanted);
}

/** Whether `api` (default every namespace) serves `admin` on a `host` beyond loopback. */
export function servesAdminBeyondLoopback(
  host: string,
  api: readonly string[] | undefined,
): boolean {
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  return !loopback && (api ?? NODE_RPC_NAMESPACES).includes('admin');
}

function warnExposedAdmin(
  flag: 'http' | 'ws',
  host: string,
  api: readonly string[] | undefined,
  log: Logger,
): void {
  if (servesAdminBeyondLoopback(host, api)) {
    log.warn(`the admin API is served beyond loopback; narrow it with --${flag}.api`, { host });
  }
}
async function listen(
  flag: string,
  options: Parameters<typeof RpcHttpServer.listen>[0],
): Promise<RpcHttpServer> {
  try {
    return await RpcHttpServer.listen(options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port}`;
    if (code === 'EADDRINUSE') {
      throw new NodeError('PORT_IN_USE', `RPC port ${where} is in use; pick another with ${flag}`, {
        cause: err,
      });
    }
    throw new NodeError(
      'LISTEN_FAILED',
      `cannot listen for RPC on ${where}: ${code ?? String(err)}`,
      {
        cause: err,
      },
    );
  }
}
