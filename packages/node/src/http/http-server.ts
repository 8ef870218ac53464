/**
 * {@link RpcHttpServer}: the node's HTTP server (node:http) for JSON-RPC over HTTP and
 * WebSocket and for mounted {@link HttpRoute}s (geth `node/rpcstack.go` `httpServer`).
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Logger, silentLogger } from '@ethp2p/base';
import type { RpcHandler } from '../rpc/handler.ts';
import { DEFAULT_VHOSTS, hostAllowed, originAllowed } from './access.ts';
import type { HttpRoute } from './route.ts';
import { DEFAULT_BODY_LIMIT_BYTES, plainError, serveRpcHttp } from './rpc-http.ts';
import type { WsRpcEndpoint } from './ws-rpc.ts';

/** geth's HTTP read and write timeouts (`rpc.DefaultHTTPTimeouts`, 30 s). */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;

/** Options of {@link RpcHttpServer}. */
export interface RpcHttpServerOptions {
  /** The IP to listen on (the node's default is 127.0.0.1). */
  readonly host: string;
  /** The TCP port; 0 lets the OS pick one (see {@link RpcHttpServer.port}). */
  readonly port: number;
  /** JSON-RPC over HTTP POST `/`; without it only routes and WebSocket are served. */
  readonly rpc?: RpcHandler;
  /** JSON-RPC over WebSocket upgrades of `/`. */
  readonly ws?: WsRpcEndpoint;
  /** Consulted in order before JSON-RPC, for requests and upgrades. */
  readonly routes?: readonly HttpRoute[];
  /** Host names served (geth `--http.vhosts`, default `localhost`; IPs always pass; `*` any). */
  readonly vhosts?: readonly string[];
  /** Browser origins allowed to call (geth `--http.corsdomain`; default none, `*` any). */
  readonly corsOrigins?: readonly string[];
  /** Largest request body (default 5 MiB). */
  readonly bodyLimitBytes?: number;
  readonly logger?: Logger;
}

/**
 * Listens on one address. A request passes the vhost check, then each route, then CORS and
 * JSON-RPC; an upgrade passes the vhost check, each route's `upgrade`, then the WebSocket
 * endpoint at `/`. Any other request gets 404. Nothing a client sends makes it throw.
 * `close()` closes the listener and every connection, WebSocket clients included.
 */
export class RpcHttpServer {
  readonly #options: RpcHttpServerOptions;
  readonly #server: Server;
  readonly #log: Logger;
  #address: AddressInfo | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: RpcHttpServerOptions) {
    this.#options = options;
    this.#log = options.logger ?? silentLogger;
    this.#server = createServer({ requestTimeout: HTTP_REQUEST_TIMEOUT_MS }, (req, res) =>
      this.#request(req, res),
    );
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(req, socket, head),
    );
    this.#server.on('clientError', (_err, socket: Duplex) => {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
  }

  /**
   * Starts a server and resolves once it listens.
   * @throws the listen error (`EADDRINUSE`, `EADDRNOTAVAIL`, ...) with nothing left open
   */
  static async listen(options: RpcHttpServerOptions): Promise<RpcHttpServer> {
    const server = new RpcHttpServer(options);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.#server.once('error', onError);
      server.#server.listen(options.port, options.host, () => {
        server.#server.off('error', onError);
        resolve();
      });
    });
    server.#address = server.#server.address() as AddressInfo;
    server.#server.on('error', (err) =>
      server.#log.warn('http server error', { err: String(err) }),
    );
    return server;
  }

  /** The bound IP. */
  get host(): string {
    return (this.#address as AddressInfo).address;
  }

  /** The bound port (the OS's pick when listening on port 0). */
  get port(): number {
    return (this.#address as AddressInfo).port;
  }

  /** `host:port`, with brackets around an IPv6 host. */
  get endpoint(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Closes the listener, WebSocket clients and every open connection. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#options.ws?.close();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  #request(req: IncomingMessage, res: ServerResponse): void {
    const o = this.#options;
    try {
      if (!hostAllowed(req.headers.host, o.vhosts ?? DEFAULT_VHOSTS)) {
        plainError(res, 403, 'invalid host specified');
        return;
      }
      for (const route of o.routes ?? []) if (route.handle(req, res)) return;
      if (o.rpc === undefined || pathOf(req) !== '/') {
        plainError(res, 404, '404 page not found');
        return;
      }
      if (this.#cors(req, res)) return;
      void serveRpcHttp(req, res, o.rpc, o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES).catch(
        (err: unknown) => this.#failed(res, err),
      );
    } catch (err) {
      this.#failed(res, err);
    }
  }

  /** Sets CORS headers for an allowed Origin; answers a preflight (true when it did). */
  #cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    const allowed = this.#options.corsOrigins ?? [];
    if (origin === undefined || !originAllowed(origin, allowed)) return false;
    res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
    res.setHeader('vary', 'Origin');
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204, {
      'access-control-allow-methods': 'POST, GET',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '600',
    });
    res.end();
    return true;
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      if (!hostAllowed(req.headers.host, this.#options.vhosts ?? DEFAULT_VHOSTS)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      for (const route of this.#options.routes ?? []) {
        if (route.upgrade?.(req, socket, head) === true) return;
      }
      const ws = this.#options.ws;
      if (ws === undefined || pathOf(req) !== '/') {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
        return;
      }
      ws.upgrade(req, socket, head);
    } catch (err) {
      this.#log.warn('websocket upgrade failed', { err: String(err) });
      socket.destroy();
    }
  }

  #failed(res: ServerResponse, err: unknown): void {
    this.#log.warn('http request failed', { err: String(err) });
    if (!res.headersSent) plainError(res, 500, 'internal server error');
    else res.destroy();
  }
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
