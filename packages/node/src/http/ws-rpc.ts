/**
 * JSON-RPC over WebSocket with `ws` (geth `rpc/websocket.go`): each connection is one
 * {@link RpcConnection}, so it can hold subscriptions; requests are answered in order.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Logger, silentLogger } from '@ethp2p/base';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { RpcConnection } from '../rpc/connection.ts';
import type { RpcHandler } from '../rpc/handler.ts';
import { originAllowed } from './access.ts';

/** Largest message read (geth `wsDefaultReadLimit`, 32 MiB); a larger one closes with 1009. */
export const WS_READ_LIMIT_BYTES: number = 32 * 1024 * 1024;
/**
 * Bytes queued to a client that does not read, past which it is closed (1008) rather than
 * buffered without bound.
 */
export const WS_MAX_BUFFERED_BYTES: number = 16 * 1024 * 1024;
/** Requests of one connection queued before its socket is paused (it reads no more). */
const MAX_QUEUED_REQUESTS = 16;

/** Options of {@link WsRpcEndpoint}. */
export interface WsRpcEndpointOptions {
  readonly handler: RpcHandler;
  /** Origins allowed when the upgrade has an Origin header (see `originAllowed`). */
  readonly origins: readonly string[];
  readonly logger?: Logger;
}

/**
 * Serves JSON-RPC to WebSocket clients whose upgrade the HTTP server hands it. Owns the
 * connections: {@link WsRpcEndpoint.close} ends them all and stops their subscriptions.
 */
export class WsRpcEndpoint {
  readonly #handler: RpcHandler;
  readonly #origins: readonly string[];
  readonly #log: Logger;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: WS_READ_LIMIT_BYTES });
  readonly #connections = new Map<WebSocket, RpcConnection>();

  constructor(options: WsRpcEndpointOptions) {
    this.#handler = options.handler;
    this.#origins = options.origins;
    this.#log = options.logger ?? silentLogger;
  }

  /** How many clients are connected. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Takes over an upgrade: 403 for a disallowed Origin (no Origin header passes, as in geth),
   * else the WebSocket handshake.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, this.#origins)) {
      this.#log.warn('rejected websocket connection', { origin });
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serve(ws));
  }

  /** Terminates every connection and stops their subscriptions at once. Idempotent. */
  close(): void {
    for (const [ws, connection] of this.#connections) {
      connection.close();
      ws.terminate();
    }
    this.#connections.clear();
    this.#wss.close();
  }

  #serve(ws: WebSocket): void {
    const connection = new RpcConnection((text) => this.#send(ws, text));
    this.#connections.set(ws, connection);
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    ws.on('message', (data: RawData) => {
      const text = rawText(data);
      queued++;
      if (queued >= MAX_QUEUED_REQUESTS) ws.pause();
      queue = queue
        .then(async () => {
          const answer = await this.#handler.handle(text, connection);
          if (answer !== undefined) this.#send(ws, answer);
          connection.activate();
        })
        .catch((err: unknown) => this.#log.warn('websocket request failed', { err: String(err) }))
        .finally(() => {
          queued--;
          if (ws.isPaused && queued < MAX_QUEUED_REQUESTS) ws.resume();
        });
    });
    ws.on('error', (err) => this.#log.debug('websocket error', { err: String(err) }));
    ws.on('close', () => {
      this.#connections.delete(ws);
      connection.close();
    });
  }

  #send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      this.#log.warn('closing a websocket client that does not read');
      ws.close(1008, 'client too slow');
      return;
    }
    ws.send(text);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
