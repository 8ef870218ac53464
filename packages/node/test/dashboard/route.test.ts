import { join } from 'node:path';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex } from '@ethp2p/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeDashboardRoute } from '../../src/dashboard/route.ts';
import { DASHBOARD_WS_PATH } from '../../src/dashboard/sockets.ts';
import { startRouteServer } from '../../src/dashboard/standalone.ts';
import { NodeError } from '../../src/node/errors.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { loopbackNode } from '../node/helpers.ts';
import { chainFixture, connectClient } from './helpers.ts';

const fixture = chainFixture('ethp2p-dashboard-', 3);
let node: FullNode;

beforeAll(async () => {
  node = loopbackNode({ datadir: join(fixture.dir, 'node'), chain: fixture.chain });
  await node.start();
});

afterAll(async () => {
  await node?.stop();
});

async function mounted() {
  const route = createNodeDashboardRoute(node);
  const server = await startRouteServer([route]);
  return {
    route,
    url: server.url,
    async close() {
      route.close();
      await server.close();
    },
  };
}

describe('the dashboard route', () => {
  it('serves the page and its files at GET, with a strict content security policy', async () => {
    const { url, close } = await mounted();
    try {
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
    } finally {
      await close();
    }
  });

  it('passes on what is not its own: POST / (JSON-RPC), other paths', async () => {
    const { url, close } = await mounted();
    try {
      const post = await fetch(`${url}/`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(404); // no route took it
      expect((await fetch(`${url}/dashboard/nope.js`)).status).toBe(404);
      expect((await fetch(`${url}/dashboard/../../package.json`)).status).toBe(404);
    } finally {
      await close();
    }
  });

  it("sends the node's head block and discovery table over the WebSocket", async () => {
    const { url, close } = await mounted();
    try {
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
    } finally {
      await close();
    }
  });

  it('needs a running node', () => {
    const idle = loopbackNode({ datadir: join(fixture.dir, 'idle'), chain: fixture.chain });
    expect(() => createNodeDashboardRoute(idle)).toThrow(NodeError);
  });
});
