/**
 * Fixtures of the dashboard tests: the node tests' chain fixture, loopback servers whose
 * protocol sends a known payload, and a WebSocket client that collects the dashboard's messages.
 * @module
 */
import type { Protocol } from '@ethp2p/server';
import { WebSocket } from 'ws';
import type { DashboardMessage } from '../../src/dashboard/messages.ts';
import { RpcHttpServer } from '../../src/http/http-server.ts';
import type { HttpRoute } from '../../src/http/route.ts';

export {
  nextEvent,
  serverStarter,
} from '../../../server/test/integration/helpers.ts';
export { chainFixture } from '../node/helpers.ts';

/** A protocol that sends one `size`-byte message on start, then reads until the peer ends. */
export function senderProtocol(size: number): Protocol {
  return {
    name: 'dash',
    version: 1,
    length: 1,
    async run(_peer, rw, { signal }) {
      await rw.writeMsg(0, new Uint8Array(size));
      while (!signal.aborted) {
        try {
          await rw.readMsg();
        } catch {
          return;
        }
      }
    },
  };
}

/** A WebSocket client of the dashboard that keeps every message it got. */
export interface DashboardClient {
  readonly ws: WebSocket;
  readonly messages: DashboardMessage[];
  /** Resolves when the connection is closed, with its close code. */
  readonly closed: Promise<number>;
}

/** Connects to `url` (ws://...); resolves once open. */
export async function connectClient(
  url: string,
  headers: Record<string, string> = {},
): Promise<DashboardClient> {
  const ws = new WebSocket(url, { headers });
  const messages: DashboardMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as DashboardMessage));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

/** The node's HTTP server on 127.0.0.1 and a free port, serving only `routes`. */
export interface RouteServer {
  /** `http://127.0.0.1:port`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a {@link RouteServer} (no JSON-RPC: what no route takes gets 404). */
export async function serveRoutes(routes: readonly HttpRoute[]): Promise<RouteServer> {
  const server = await RpcHttpServer.listen({ host: '127.0.0.1', port: 0, routes });
  return { url: `http://${server.endpoint}`, close: () => server.close() };
}
