import { join } from 'node:path';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex } from '@ethp2p/crypto';
import { logDistance } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_WS_PATH } from '../../src/dashboard/sockets.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { loopbackNode } from '../node/helpers.ts';
import { httpCall, openWs, send } from '../rpc/helpers/clients.ts';
import { freePort } from '../rpc/helpers/nodes.ts';
import { chainFixture, connectClient } from './helpers.ts';

const fixture = chainFixture(3, 'ethp2p-dashboard-');
let node: FullNode;
let url: string;

// One port for the page, JSON-RPC over HTTP and both WebSockets (the RPC's at `/`).
beforeAll(async () => {
  const port = await freePort();
  const rpc = { host: '127.0.0.1', port };
  node = loopbackNode({
    datadir: join(fixture.dir, 'node'),
    chain: fixture.chain,
    http: rpc,
    ws: rpc,
    dashboard: true,
  });
  await node.start();
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await node?.stop();
});

describe("the dashboard on the node's HTTP server", () => {
  it('serves the page and its files at GET, with a strict content security policy', async () => {
    expect(node.dashboardUrl).toBe(`${url}/`);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/dashboard/dashboard.js">');
    expect(html).toContain('id="peers"');
    for (const [path, type] of [
      ['/dashboard/dashboard.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/dashboard.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect((await res.text()).length, path).toBeGreaterThan(100);
    }
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(html));
  });

  it('leaves POST / to JSON-RPC and other paths to the server (404)', async () => {
    expect(await httpCall(url, 'net_listening')).toEqual({ jsonrpc: '2.0', id: 1, result: true });
    expect((await fetch(`${url}/dashboard/nope.js`)).status).toBe(404);
    expect((await fetch(`${url}/dashboard/../../package.json`)).status).toBe(404);
  });

  it('is behind the vhost check of the server, as JSON-RPC is', async () => {
    const port = Number(new URL(url).port);
    const get = (host: string) => send(port, { method: 'GET', headers: { host } });
    expect((await get('evil.example')).status).toBe(403);
    expect((await get(`localhost:${port}`)).status).toBe(200);
  });

  it("sends the node's head block and discovery table over /dashboard/ws", async () => {
    const client = await connectClient(`${url.replace('http', 'ws')}${DASHBOARD_WS_PATH}`);
    await waitFor(() => client.messages.length >= 1, { what: 'the snapshot' });
    const [snapshot] = client.messages;
    const head = fixture.chain.head();
    expect(snapshot).toMatchObject({
      type: 'snapshot',
      node: { id: bytesToHex(node.self().id), enode: node.self().enodeUrl() },
      head: { number: '3', hash: `0x${bytesToHex(head.hash)}` },
      table: { size: 0, buckets: [] },
      peers: [],
    });
    client.ws.close();
    await client.closed;
  });

  it('leaves the WebSocket at / to JSON-RPC', async () => {
    expect(node.wsUrl).toBe(url.replace('http', 'ws'));
    const client = await openWs(`${url.replace('http', 'ws')}/`);
    expect(await client.call({ jsonrpc: '2.0', id: 7, method: 'net_listening' })).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: true,
    });
    client.ws.close();
  });

  it('shows a discovered node in the table: the dashboard by bucket, ethp2p_discoveryTable by node', async () => {
    const other = loopbackNode({
      datadir: join(fixture.dir, 'other'),
      chain: fixture.chain,
      bootnodes: [node.self()],
      noDial: true,
    });
    await other.start();
    try {
      const id = other.self().id;
      const discovery = node.discovery as NonNullable<FullNode['discovery']>;
      await waitFor(() => discovery.nodes().some((n) => bytesToHex(n.id) === bytesToHex(id)), {
        what: 'the other node in the table',
      });
      const distance = logDistance(node.self().id, id);
      const table = (await httpCall(url, 'ethp2p_discoveryTable')) as {
        result: { total: number; buckets: { distance: number; nodes: { id: string }[] }[] };
      };
      expect(table.result.total).toBe(1);
      expect(table.result.buckets).toEqual([
        {
          distance,
          nodes: [expect.objectContaining({ id: bytesToHex(id), enode: other.self().enodeUrl() })],
        },
      ]);
      const client = await connectClient(`${url.replace('http', 'ws')}${DASHBOARD_WS_PATH}`);
      await waitFor(() => client.messages.length >= 1, { what: 'the snapshot' });
      expect(client.messages[0]).toMatchObject({
        table: { size: 1, buckets: [{ distance, count: 1 }] },
      });
      client.ws.close();
      await client.closed;
    } finally {
      await other.stop();
    }
  });

  it('stops with the node, closing its WebSocket clients', async () => {
    const other = loopbackNode({
      datadir: join(fixture.dir, 'stopping'),
      chain: fixture.chain,
      http: { host: '127.0.0.1', port: 0 },
      dashboard: true,
    });
    await other.start();
    const page = other.dashboardUrl ?? '';
    const client = await connectClient(`${page.replace('http', 'ws')}dashboard/ws`);
    await waitFor(() => client.messages.length >= 1, { what: 'the snapshot' });
    await other.stop();
    await client.closed;
    expect(other.dashboardUrl).toBeUndefined();
    await expect(fetch(page)).rejects.toThrow();
  });

  it('needs the http option', () => {
    const options = { datadir: join(fixture.dir, 'bare'), chain: fixture.chain, dashboard: true };
    expect(() => loopbackNode(options)).toThrow(TypeError);
  });
});
