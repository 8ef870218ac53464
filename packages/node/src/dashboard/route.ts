/**
 * The dashboard as one {@link HttpRoute}: the page at GET `/` with its files, and the live
 * WebSocket at `/dashboard/ws`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpRoute } from '../http/route.ts';
import { DashboardAssets } from './assets.ts';
import { DashboardFeed, type DashboardFeedOptions } from './feed.ts';
import { DashboardSockets } from './sockets.ts';

/** Options of {@link createDashboardRoute}: what to watch, and the WebSocket's limits. */
export interface DashboardOptions extends DashboardFeedOptions {
  /** Most WebSocket clients at once (default 16). */
  readonly maxClients?: number;
  /** Unsent bytes after which a client is dropped (default 1 MiB). */
  readonly maxBufferedBytes?: number;
}

/** The mounted dashboard; {@link DashboardRoute.close} ends its timer and its clients. */
export interface DashboardRoute extends HttpRoute {
  readonly feed: DashboardFeed;
  readonly sockets: DashboardSockets;
  /** Stops the feed and closes every client. Idempotent. */
  close(): void;
}

/**
 * Builds and starts the dashboard over a started server.
 * @throws {RangeError} for a bad interval, length or limit
 */
export function createDashboardRoute(options: DashboardOptions): DashboardRoute {
  const assets = new DashboardAssets();
  const feed = new DashboardFeed(options);
  const sockets = new DashboardSockets({
    source: feed,
    ...(options.maxClients === undefined ? {} : { maxClients: options.maxClients }),
    ...(options.maxBufferedBytes === undefined
      ? {}
      : { maxBufferedBytes: options.maxBufferedBytes }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  feed.start();
  return {
    feed,
    sockets,
    handle: (req: IncomingMessage, res: ServerResponse) => assets.handle(req, res),
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      sockets.upgrade(req, socket, head),
    close() {
      sockets.close();
      feed.stop();
    },
  };
}
