/**
 * The dashboard's WebSocket endpoint: a snapshot on connect, then every update of the feed.
 * Memory stays bounded: a fixed number of clients, and a client whose unsent data passes a
 * limit is dropped rather than buffered for.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Logger, silentLogger } from '@ethp2p/base';
import type { EventEmitter } from 'eventemitter3';
import { type WebSocket, WebSocketServer } from 'ws';
import { pathOf } from './assets.ts';
import type { DashboardFeedEvents } from './feed.ts';
import type { SnapshotMessage, UpdateMessage } from './messages.ts';

/** The path of the dashboard's WebSocket. */
export const DASHBOARD_WS_PATH = '/dashboard/ws';
/** Most dashboard clients at once; more are refused with 503. */
export const MAX_DASHBOARD_CLIENTS = 16;
/** Unsent bytes after which a client is dropped as too slow: 1 MiB (a tick is a few kB). */
export const MAX_BUFFERED_BYTES: number = 1024 * 1024;
/** Largest message a client may send (it has nothing to say; anything larger closes it). */
const MAX_CLIENT_MESSAGE_BYTES = 1024;

/** What the sockets serve: a snapshot for a new client and the updates after it. */
export interface DashboardSource {
  snapshot(): SnapshotMessage;
  readonly events: Pick<EventEmitter<DashboardFeedEvents>, 'on' | 'off'>;
}

/** Options of {@link DashboardSockets}. */
export interface DashboardSocketsOptions {
  readonly source: DashboardSource;
  /** Default {@link MAX_DASHBOARD_CLIENTS}. */
  readonly maxClients?: number;
  /** Default {@link MAX_BUFFERED_BYTES}. */
  readonly maxBufferedBytes?: number;
  readonly logger?: Logger;
}

/**
 * Serves {@link DASHBOARD_WS_PATH} on upgrades handed to {@link DashboardSockets.upgrade}.
 * Browsers from another origin are refused (403), as the data is the node's own. The Host
 * header (a page that rebinds its own name to the node's address) is the HTTP server's to
 * check: its `--http.vhosts` check runs before any route.
 */
export class DashboardSockets {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  readonly #clients = new Set<WebSocket>();
  readonly #source: DashboardSource;
  readonly #maxClients: number;
  readonly #maxBuffered: number;
  readonly #log: Logger;
  #dropped = 0;
  #closed = false;
  readonly #onUpdate = (message: UpdateMessage): void => {
    if (this.#clients.size === 0) return;
    const data = JSON.stringify(message);
    for (const ws of this.#clients) this.#send(ws, data);
  };

  constructor(options: DashboardSocketsOptions) {
    this.#source = options.source;
    this.#maxClients = options.maxClients ?? MAX_DASHBOARD_CLIENTS;
    this.#maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    this.#log = options.logger ?? silentLogger;
    this.#source.events.on('update', this.#onUpdate);
  }

  /** Connected clients. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Clients dropped for not reading fast enough. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Takes the upgrade if it is for {@link DASHBOARD_WS_PATH} (refusing it with 403 from another
   * origin, 503 when full or closed) and returns true; returns false for any other path.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (pathOf(req) !== DASHBOARD_WS_PATH) return false;
    if (!sameOrigin(req)) refuse(socket, '403 Forbidden');
    else if (this.#closed || this.#clients.size >= this.#maxClients) {
      refuse(socket, '503 Service Unavailable');
    } else this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
    return true;
  }

  /** Closes every client and stops listening to the source. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source.events.off('update', this.#onUpdate);
    for (const ws of this.#clients) ws.terminate();
    this.#clients.clear();
    this.#wss.close();
  }

  #accept(ws: WebSocket): void {
    if (this.#closed) {
      ws.terminate();
      return;
    }
    this.#clients.add(ws);
    ws.on('close', () => this.#clients.delete(ws));
    ws.on('error', (err) => {
      this.#log.debug('dashboard client failed', { err: String(err) });
      ws.terminate();
    });
    this.#send(ws, JSON.stringify(this.#source.snapshot()));
  }

  #send(ws: WebSocket, data: string): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(data);
    if (ws.bufferedAmount > this.#maxBuffered) {
      this.#dropped++;
      this.#log.debug('dropping a slow dashboard client', { buffered: ws.bufferedAmount });
      this.#clients.delete(ws);
      ws.terminate();
    }
  }
}

/** True without an Origin (not a browser) or when it names the host the request went to. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
