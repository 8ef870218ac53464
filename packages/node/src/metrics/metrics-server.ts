/**
 * The metrics HTTP server of `--metrics` (geth `metrics/exp`): its own `node:http` server
 * answering GET `/debug/metrics/prometheus` (geth's path) and `/metrics` with the Prometheus
 * text format.
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@ethp2p/base';
import { NodeError } from '../node/errors.ts';
import { type MetricsSources, NodeMetrics } from './node-metrics.ts';

/** geth's metrics address and port (`--metrics.addr`, `--metrics.port`). */
export const DEFAULT_METRICS_ADDR = '127.0.0.1';
export const DEFAULT_METRICS_PORT = 6060;
/** The paths answered: geth's, and the one Prometheus scrapes by default. */
export const METRICS_PATHS: readonly string[] = ['/debug/metrics/prometheus', '/metrics'];

/** Options of {@link MetricsServer.listen}. */
export interface MetricsServerOptions {
  readonly metrics: NodeMetrics;
  /** Default {@link DEFAULT_METRICS_ADDR}: loopback only. */
  readonly host?: string;
  /** Default {@link DEFAULT_METRICS_PORT}; 0 lets the OS pick one. */
  readonly port?: number;
  readonly logger: Logger;
}

/**
 * A listening metrics endpoint. Every scrape renders a fresh snapshot; other paths get 404 and
 * other methods 405. `close()` closes the listener and every connection (keep-alive ones
 * included), so no handle is left.
 */
export class MetricsServer {
  /** The bound address. */
  readonly host: string;
  /** The bound port (the OS's pick for port 0). */
  readonly port: number;
  readonly #server: ReturnType<typeof createServer>;
  #closing: Promise<void> | undefined;

  private constructor(server: ReturnType<typeof createServer>, address: AddressInfo) {
    this.#server = server;
    this.host = address.address;
    this.port = address.port;
  }

  /**
   * Binds and serves.
   * @throws the listen error (`EADDRINUSE`, `EADDRNOTAVAIL`, ...)
   */
  static async listen(options: MetricsServerOptions): Promise<MetricsServer> {
    const { metrics, logger } = options;
    const server = createServer((req, res) => {
      serve(metrics, req, res).catch((err: unknown) => {
        logger.warn('metrics scrape failed', { err: String(err) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('metrics scrape failed\n');
      });
    });
    server.listen(options.port ?? DEFAULT_METRICS_PORT, options.host ?? DEFAULT_METRICS_ADDR);
    try {
      await once(server, 'listening');
    } catch (err) {
      server.close();
      throw err;
    }
    return new MetricsServer(server, server.address() as AddressInfo);
  }

  /** `http://host:port` (IPv6 hosts in brackets). */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }
}

async function serve(
  metrics: NodeMetrics,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!METRICS_PATHS.includes(path)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not found: try ${METRICS_PATHS.join(' or ')}\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    res.end('method not allowed\n');
    return;
  }
  const body = await metrics.scrape();
  res.writeHead(200, { 'content-type': metrics.contentType });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * A {@link NodeMetrics} over `sources`, served on `options.host:options.port` (defaults
 * `127.0.0.1:6060`), with process metrics.
 * @throws {NodeError} `PORT_IN_USE` or `LISTEN_FAILED`
 */
export async function serveNodeMetrics(
  sources: MetricsSources,
  options: { readonly host?: string; readonly port?: number },
  logger: Logger,
): Promise<MetricsServer> {
  const host = options.host ?? DEFAULT_METRICS_ADDR;
  const port = options.port ?? DEFAULT_METRICS_PORT;
  const metrics = new NodeMetrics({ sources });
  try {
    return await MetricsServer.listen({ metrics, host, port, logger });
  } catch (err) {
    throw metricsListenError(err, host, port);
  }
}

function metricsListenError(err: unknown, host: string, port: number): NodeError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new NodeError(
      'PORT_IN_USE',
      `metrics port ${port} is in use; pick another with --metrics.port`,
      { cause: err },
    );
  }
  const why = code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : (code ?? String(err));
  return new NodeError('LISTEN_FAILED', `cannot serve metrics on ${host}:${port}: ${why}`, {
    cause: err,
  });
}
