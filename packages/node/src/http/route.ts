/**
 * The seam for handlers mounted on the node's HTTP server (the dashboard mounts one).
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
/** A handler mounted on the node's HTTP server, consulted before JSON-RPC. */
export interface HttpRoute {
  /** Handles the request and returns true, or returns false to pass it on (JSON-RPC answers POST /). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes over a WebSocket upgrade (e.g. path `/dashboard/ws`) and returns true, or returns false. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}
