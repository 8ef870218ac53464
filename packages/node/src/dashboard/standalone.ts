/**
 * A bare `node:http` server for routes, for tests and for running the dashboard before the
 * node's own HTTP server mounts it: requests no route takes get 404, upgrades are closed.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from './route-types.ts';

/** A running {@link startRouteServer}. */
export interface RouteServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly http: HttpServer;
  /** Closes the listener and every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves `routes` on `host:port` (default 127.0.0.1 and an OS-picked port).
 * @throws the listen error (e.g. `EADDRINUSE`)
 */
export async function startRouteServer(
  routes: readonly HttpRoute[],
  options: { readonly host?: string; readonly port?: number } = {},
): Promise<RouteServer> {
  const http = createServer((req, res) => {
    if (routes.some((r) => r.handle(req, res))) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  });
  http.on('upgrade', (req, socket, head) => {
    if (!routes.some((r) => r.upgrade?.(req, socket, head) === true)) socket.destroy();
  });
  http.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(http, 'listening');
  const { address, port } = http.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    http,
    close() {
      closing ??= new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return closing;
    },
  };
}
