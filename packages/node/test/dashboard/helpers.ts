/**
 * Fixtures of the dashboard tests: a temp dir with a generated chain, loopback servers whose
 * protocol sends a known payload, and a WebSocket client that collects the dashboard's messages.
 * @module
 */
import { rm } from 'node:fs/promises';
import type { MemoryChain } from '@ethp2p/chain';
import type { Protocol } from '@ethp2p/server';
import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import type { DashboardMessage } from '../../src/dashboard/messages.ts';
import { RpcHttpServer } from '../../src/http/http-server.ts';
import type { HttpRoute } from '../../src/http/route.ts';
import { type ChainFilesOnDisk, loadChain, tempDir, writeChain } from '../node/helpers.ts';

export {
  nextEvent,
  serverStarter,
} from '../../../server/test/integration/helpers.ts';

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

/** A test file's temp dir and generated chain, filled in before its tests. */
export interface ChainFixture {
  dir: string;
  files: ChainFilesOnDisk;
  chain: MemoryChain;
}

/**
 * Creates a temp dir holding a chain of `blocks` blocks before the file's tests and removes it
 * after them (after the file's own `afterAll` hooks, which run first).
 */
export function chainFixture(prefix: string, blocks: number): ChainFixture {
  const fixture = {} as ChainFixture;
  beforeAll(async () => {
    fixture.dir = await tempDir(prefix);
    fixture.files = await writeChain(fixture.dir, blocks);
    fixture.chain = await loadChain(fixture.files);
  });
  afterAll(async () => {
    if (fixture.dir !== undefined) await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
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
