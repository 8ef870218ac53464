import { connect as tcpConnect } from 'node:net';
import { nextTurn, waitFor } from '@ethp2p/base/testing';
import { EventEmitter } from 'eventemitter3';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DashboardFeedEvents } from '../../src/dashboard/feed.ts';
import type { SnapshotMessage, UpdateMessage } from '../../src/dashboard/messages.ts';
import {
  DASHBOARD_WS_PATH,
  DashboardSockets,
  type DashboardSocketsOptions,
} from '../../src/dashboard/sockets.ts';
import { connectClient, type RouteServer, serveRoutes } from './helpers.ts';

const SNAPSHOT = {
  type: 'snapshot',
  node: { id: 'ab', name: 'n', enode: 'enode://x', listenAddr: '' },
  head: null,
  peers: [],
  table: null,
  activity: [],
  traffic: [],
  totals: { bytesIn: 0, bytesOut: 0 },
  sampleIntervalMs: 1000,
} satisfies SnapshotMessage;

function failedDial(detail: string): UpdateMessage {
  return { type: 'dial:failed', activity: { t: 1, kind: 'dial:failed', id: 'cd', detail } };
}

class FakeSource {
  readonly events = new EventEmitter<DashboardFeedEvents>();
  snapshot(): SnapshotMessage {
    return SNAPSHOT;
  }
  push(message: UpdateMessage): void {
    this.events.emit('update', message);
  }
}

const opened: { sockets: DashboardSockets; server: RouteServer; clients: WebSocket[] }[] = [];
afterEach(async () => {
  for (const { sockets, server, clients } of opened.splice(0)) {
    for (const c of clients) c.terminate();
    sockets.close();
    await server.close();
  }
});

async function serve(options: Partial<DashboardSocketsOptions> = {}) {
  const source = new FakeSource();
  const sockets = new DashboardSockets({ source, ...options });
  const server = await serveRoutes([
    { handle: () => false, upgrade: (req, socket, head) => sockets.upgrade(req, socket, head) },
  ]);
  const clients: WebSocket[] = [];
  opened.push({ sockets, server, clients });
  const wsUrl = `${server.url.replace('http', 'ws')}${DASHBOARD_WS_PATH}`;
  const connect = async (headers: Record<string, string> = {}) => {
    const client = await connectClient(wsUrl, headers);
    clients.push(client.ws);
    return client;
  };
  return { source, sockets, server, wsUrl, connect };
}

/** The HTTP status a refused upgrade gets. */
function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('upgrade accepted')));
    ws.on('error', () => {});
  });
}

describe('DashboardSockets', () => {
  it('sends the snapshot first, then every update in order', async () => {
    const { source, connect, sockets } = await serve();
    const client = await connect();
    await waitFor(() => client.messages.length === 1, { what: 'the snapshot' });
    expect(client.messages[0]).toEqual(SNAPSHOT);
    expect(sockets.clientCount).toBe(1);
    source.push(failedDial('one'));
    source.push(failedDial('two'));
    await waitFor(() => client.messages.length === 3, { what: 'two updates' });
    expect(client.messages.slice(1)).toEqual([failedDial('one'), failedDial('two')]);
    client.ws.close();
    await client.closed;
    await waitFor(() => sockets.clientCount === 0, { what: 'the client gone' });
  });

  it('leaves other paths to other routes (the server answers 404 when none takes them)', async () => {
    const { server } = await serve();
    expect(await refusedStatus(`${server.url.replace('http', 'ws')}/other`)).toBe(404);
  });

  it('refuses a browser page of another origin with 403, and takes its own', async () => {
    const { wsUrl, connect, server } = await serve();
    expect(await refusedStatus(wsUrl, { Origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus(wsUrl, { Origin: 'not a url' })).toBe(403);
    const own = await connect({ Origin: server.url });
    await waitFor(() => own.messages.length === 1, { what: 'the snapshot' });
  });

  it("is behind the server's vhost check: a Host that is not an IP or localhost gets 403", async () => {
    const { wsUrl, connect, server } = await serve();
    const port = new URL(server.url).port;
    const rebound = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` };
    expect(await refusedStatus(wsUrl, rebound)).toBe(403);
    const local = await connect({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` });
    await waitFor(() => local.messages.length === 1, { what: 'the snapshot over localhost' });
  });

  it('refuses clients beyond the limit with 503', async () => {
    const { wsUrl, connect } = await serve({ maxClients: 2 });
    await connect();
    await connect();
    expect(await refusedStatus(wsUrl)).toBe(503);
  });

  it('drops a client that stops reading instead of buffering for it', async () => {
    const { source, sockets, server, connect } = await serve({ maxBufferedBytes: 256 * 1024 });
    const fast = await connect();
    // A raw client that upgrades and then never reads: the kernel buffers fill, then ours.
    const { port } = new URL(server.url);
    const slow = tcpConnect(Number(port), '127.0.0.1');
    slow.write(
      `GET ${DASHBOARD_WS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
    slow.pause();
    await waitFor(() => sockets.clientCount === 2, { what: 'both clients in' });
    const big = failedDial('x'.repeat(16 * 1024));
    let sent = 0;
    // At most 64 MiB, far beyond what loopback buffers hold.
    while (sockets.dropped === 0 && sent < 4096) {
      source.push(big);
      sent++;
      await nextTurn();
    }
    expect(sockets.dropped).toBe(1);
    expect(sockets.clientCount).toBe(1);
    // Reading what reached it, the slow client then sees the server's close.
    const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.on('error', () => {});
    slow.resume();
    await closed;
    // The fast client got everything.
    await waitFor(() => fast.messages.length === 1 + sent, {
      what: 'every update at the fast client',
    });
  });

  it('refuses upgrades once closed', async () => {
    const { wsUrl, sockets } = await serve();
    sockets.close();
    sockets.close();
    expect(await refusedStatus(wsUrl)).toBe(503);
  });
});
