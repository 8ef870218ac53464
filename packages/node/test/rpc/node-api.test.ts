import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { nodeIdToHex } from '@ethp2p/enode';
import type { PeerInfo, Server } from '@ethp2p/server';
import { describe, expect, it } from 'vitest';
import { NodeError } from '../../src/node/errors.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { httpCall, openWs, send } from './helpers/clients.ts';
import { chainFixture, freePort, LOOPBACK_RPC, rpcNode, withNode } from './helpers/nodes.ts';

const f = chainFixture(16);
const LOOPBACK = LOOPBACK_RPC;

function url(node: FullNode, kind: 'http' | 'ws'): string {
  const found = kind === 'http' ? node.httpUrl : node.wsUrl;
  if (found === undefined) throw new Error(`no ${kind} url`);
  return found;
}

async function result(node: FullNode, method: string, params: unknown[] = []): Promise<unknown> {
  const reply = (await httpCall(url(node, 'http'), method, params)) as {
    result?: unknown;
    error?: unknown;
  };
  if (reply.error !== undefined) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

type PeerEvent = {
  method: string;
  params: { subscription: string; result: Record<string, unknown> };
};
const isEvent =
  (type: string, sub: string) =>
  (m: unknown): boolean => {
    const e = m as PeerEvent;
    return (
      e.method === 'admin_subscription' &&
      e.params.subscription === sub &&
      e.params.result.type === type
    );
  };

describe('the node API over HTTP and WebSocket', () => {
  it('answers every method with geth-shaped results and streams peer events', async () => {
    const a = rpcNode(f, 'a', { noDial: true, http: LOOPBACK, ws: LOOPBACK });
    const b = rpcNode(f, 'b', { discovery: false, http: LOOPBACK });
    await a.start();
    await b.start();
    const client = await openWs(url(a, 'ws'));
    try {
      expect(url(a, 'http')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url(a, 'ws')).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(b.wsUrl).toBeUndefined();
      expect(await result(a, 'net_version')).toBe(f.chain.config.networkId.toString());
      expect(await result(a, 'net_listening')).toBe(true);
      expect(await result(a, 'net_peerCount')).toBe('0x0');
      expect(await result(a, 'web3_clientVersion')).toBe(a.server?.name);
      expect(await result(a, 'eth_chainId')).toBe(`0x${f.chain.config.chainId.toString(16)}`);
      expect(await result(a, 'eth_blockNumber')).toBe('0x10');
      const info = (await result(a, 'admin_nodeInfo')) as Record<string, unknown>;
      expect(info).toMatchObject({
        id: nodeIdToHex(a.self().id),
        enode: a.self().enodeUrl(),
        ip: '127.0.0.1',
        ports: { listener: a.server?.listenPort },
        protocols: { eth: { network: Number(f.chain.config.networkId) } },
      });
      expect(await result(a, 'admin_peers')).toEqual([]);
      expect(await result(a, 'ethp2p_dialStats')).toMatchObject({ attempts: 0, activeDials: 0 });
      expect(await result(a, 'ethp2p_discoveryTable')).toMatchObject({
        self: nodeIdToHex(a.self().id),
      });
      expect(await httpCall(url(b, 'http'), 'ethp2p_discoveryTable')).toMatchObject({
        error: { code: -32000, message: 'discovery is not running' },
      });

      const sub = (await client.call({
        jsonrpc: '2.0',
        id: 1,
        method: 'admin_subscribe',
        params: ['peerEvents'],
      })) as {
        result: string;
      };
      expect(sub.result).toMatch(/^0x[0-9a-f]{32}$/);
      expect(await result(b, 'admin_addPeer', [a.self().enodeUrl()])).toBe(true);
      const bId = nodeIdToHex(b.self().id);
      const added = (await client.next(isEvent('add', sub.result), 'an add event')) as PeerEvent;
      expect(added.params.result).toMatchObject({
        peer: bId,
        local: expect.stringMatching(/^127\.0\.0\.1:/),
      });
      const recv = (await client.next(
        isEvent('msgrecv', sub.result),
        'a msgrecv event',
      )) as PeerEvent;
      expect(recv.params.result).toMatchObject({
        peer: bId,
        protocol: 'eth',
        msg_code: expect.any(Number),
      });
      expect(recv.params.result.msg_size).toBeTypeOf('number');
      await client.next(isEvent('msgsend', sub.result), 'a msgsend event');

      expect(await result(a, 'net_peerCount')).toBe('0x1');
      const [peer] = (await result(a, 'admin_peers')) as PeerInfo[];
      expect(peer).toMatchObject({
        id: bId,
        network: { inbound: true, trusted: false, static: false },
      });
      expect(peer?.caps).toContain('eth/69');
      const [fromB] = (await result(b, 'admin_peers')) as PeerInfo[];
      expect(fromB?.network).toMatchObject({ inbound: false, static: true });
      expect(await result(a, 'admin_addTrustedPeer', [b.self().enodeUrl()])).toBe(true);
      expect(((await result(a, 'admin_peers')) as PeerInfo[])[0]?.network.trusted).toBe(true);
      expect(await result(a, 'admin_removeTrustedPeer', [b.self().enodeUrl()])).toBe(true);
      expect(((await result(a, 'admin_peers')) as PeerInfo[])[0]?.network.trusted).toBe(false);
      expect(await result(b, 'ethp2p_dialStats')).toMatchObject({ succeeded: 1 });

      expect(await result(b, 'admin_removePeer', [a.self().enodeUrl()])).toBe(true);
      const dropped = (await client.next(isEvent('drop', sub.result), 'a drop event')) as PeerEvent;
      expect(dropped.params.result).toMatchObject({ peer: bId, error: expect.any(String) });
      expect(
        await client.call({
          jsonrpc: '2.0',
          id: 2,
          method: 'admin_unsubscribe',
          params: [sub.result],
        }),
      ).toEqual({ jsonrpc: '2.0', id: 2, result: true });
    } finally {
      client.ws.close();
      await b.stop();
      await a.stop();
    }
  });

  it("gives admin_peers geth's keys plus traffic (wire bytes, messages) and the Ping → Pong rtt", async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    const a = rpcNode(f, 'peers-a', { discovery: false, noDial: true, http: LOOPBACK, clock });
    const b = rpcNode(f, 'peers-b', { discovery: false });
    await a.start();
    try {
      await withNode(b, async () => {
        const server = a.server as Server;
        b.server?.addPeer(a.self());
        await waitFor(() => a.peerSet.len === 1, {
          on: { emitters: [a.peerSet.events], events: ['peer:registered'] },
          what: 'the eth peer',
        });
        const [peer] = (await result(a, 'admin_peers')) as PeerInfo[];
        // geth's p2p.PeerInfo keys (no enr: the peer dialed in), then ethp2p's traffic.
        expect(Object.keys(peer ?? {})).toEqual([
          'enode',
          'id',
          'name',
          'caps',
          'network',
          'protocols',
          'traffic',
        ]);
        expect(peer?.protocols).toMatchObject({ eth: { version: 72 } });
        const traffic = peer?.traffic;
        expect(traffic?.ingressMessages).toBeGreaterThanOrEqual(1); // eth Status
        expect(traffic?.egressMessages).toBeGreaterThanOrEqual(1);
        // The server's counters, as Prometheus and the dashboard read them.
        expect(traffic?.ingressBytes).toBeGreaterThan(0);
        expect(traffic?.ingressBytes).toBeLessThanOrEqual(server.metrics.ingressBytes);
        expect(traffic?.egressBytes).toBeLessThanOrEqual(server.metrics.egressBytes);
        clock.advance(15_000); // a pings; b answers with no simulated time gone
        await waitFor(() => server.peersInfo()[0]?.rtt !== undefined, { what: 'the Pong' });
        const [measured] = (await result(a, 'admin_peers')) as PeerInfo[];
        expect(measured?.rtt).toEqual({ lastMs: 0, smoothedMs: 0 });
      });
    } finally {
      await a.stop();
    }
  });

  it('refuses bad node URLs and params, and peerEvents over HTTP', async () => {
    const node = rpcNode(f, 'bad', { discovery: false, http: LOOPBACK });
    await withNode(node, async () => {
      const http = url(node, 'http');
      for (const method of [
        'admin_addPeer',
        'admin_removePeer',
        'admin_addTrustedPeer',
        'admin_removeTrustedPeer',
      ]) {
        expect(await httpCall(http, method, ['enode://nope'])).toMatchObject({
          error: { code: -32000, message: expect.stringMatching(/^invalid enode: /) },
        });
        expect(await httpCall(http, method, [])).toMatchObject({ error: { code: -32602 } });
        expect(await httpCall(http, method, [1])).toMatchObject({ error: { code: -32602 } });
      }
      expect(await httpCall(http, 'net_version', [1])).toMatchObject({
        error: { code: -32602, message: 'too many arguments, want at most 0' },
      });
      expect(await httpCall(http, 'admin_subscribe', ['peerEvents'])).toMatchObject({
        error: { code: -32601, message: 'notifications not supported' },
      });
      expect(await httpCall(http, 'admin_peerEvents')).toMatchObject({ error: { code: -32601 } });
    });
  });

  it('serves only the namespaces of its api list', async () => {
    const node = rpcNode(f, 'api', {
      discovery: false,
      http: { ...LOOPBACK, api: ['net', 'nope'] },
    });
    await withNode(node, async () => {
      expect(await result(node, 'net_listening')).toBe(true);
      expect(await httpCall(url(node, 'http'), 'admin_peers')).toMatchObject({
        error: { code: -32601, message: 'the method admin_peers does not exist/is not available' },
      });
    });
  });

  it('shares one server when HTTP and WebSocket name the same address', async () => {
    const port = await freePort();
    const node = rpcNode(f, 'shared', {
      discovery: false,
      http: { host: '127.0.0.1', port },
      ws: { host: '127.0.0.1', port },
    });
    await withNode(node, async () => {
      expect(node.httpUrl).toBe(`http://127.0.0.1:${port}`);
      expect(node.wsUrl).toBe(`ws://127.0.0.1:${port}`);
      const client = await openWs(url(node, 'ws'));
      expect(await client.call({ jsonrpc: '2.0', id: 1, method: 'net_listening' })).toMatchObject({
        result: true,
      });
      client.ws.close();
    });
  });

  it('stops its servers with the node, WebSocket clients included', async () => {
    const node = rpcNode(f, 'stop', { discovery: false, http: LOOPBACK, ws: LOOPBACK });
    await node.start();
    const http = url(node, 'http');
    const client = await openWs(url(node, 'ws'));
    const closed = new Promise<void>((resolve) => client.ws.once('close', () => resolve()));
    await node.stop();
    await closed;
    expect(node.httpUrl).toBeUndefined();
    await expect(send(Number(new URL(http).port), { body: '{}' })).rejects.toThrow();
  });

  it.each(['http', 'ws'] as const)(
    'fails to start when the %s port is taken, and undoes the start',
    async (kind) => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      const datadir = join(f.dir, `taken-${kind}`);
      // With ws taken, HTTP has started first and must be closed again.
      const node = rpcNode(f, `taken-${kind}`, {
        discovery: false,
        http: kind === 'http' ? { host: '127.0.0.1', port } : LOOPBACK,
        ...(kind === 'ws' ? { ws: { host: '127.0.0.1', port } } : {}),
      });
      try {
        const err = await node.start().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NodeError);
        expect(err).toMatchObject({ code: 'PORT_IN_USE' });
        expect((err as Error).message).toContain(`--${kind}.port`);
        expect(node.httpUrl).toBeUndefined();
        expect(node.running).toBe(false);
        expect(node.server?.running).toBe(false);
        // The start created the datadir, so the failed start removed it again.
        await expect(stat(datadir)).rejects.toMatchObject({ code: 'ENOENT' });
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    },
  );
});
