import type { Duplex } from 'node:stream';
import { waitFor } from '@ethp2p/base/testing';
import { EventEmitter } from 'eventemitter3';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcHttpServer } from '../../src/http/http-server.ts';
import type { HttpRoute } from '../../src/http/route.ts';
import { WsRpcEndpoint } from '../../src/http/ws-rpc.ts';
import { RpcHandler } from '../../src/rpc/handler.ts';
import { STRING_PARAM } from '../../src/rpc/params.ts';
import { RpcRegistry, rpcMethod, rpcSubscription } from '../../src/rpc/registry.ts';
import { openWs, send } from './helpers/clients.ts';

/** Subscriptions of `test_ticks` running now, across servers; `stopped` fires as one stops. */
let running = 0;
const ticks = new EventEmitter<{ stopped: () => void }>();

function registry(): RpcRegistry {
  return new RpcRegistry()
    .method(
      'test',
      'echo',
      rpcMethod([STRING_PARAM], ([s]) => s),
    )
    .subscription(
      'test',
      'ticks',
      rpcSubscription([], (emit) => {
        emit('first');
        running++;
        return () => {
          running--;
          ticks.emit('stopped');
        };
      }),
    );
}

const servers: RpcHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Partial<Parameters<typeof RpcHttpServer.listen>[0]> = {}) {
  const handler = new RpcHandler({ registry: registry() });
  const ws = new WsRpcEndpoint({ handler, origins: ['http://localhost'] });
  const server = await RpcHttpServer.listen({
    host: '127.0.0.1',
    port: 0,
    rpc: handler,
    ws,
    ...options,
  });
  servers.push(server);
  return server;
}

const ECHO = '{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["hi"]}';

describe('RpcHttpServer over HTTP', () => {
  it('answers a call on the port it bound (port 0)', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.endpoint).toBe(`127.0.0.1:${server.port}`);
    const reply = await send(server.port, { body: ECHO });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ jsonrpc: '2.0', id: 1, result: 'hi' });
  });

  it('refuses like geth: 405, 413, 415, 404; an empty GET is a health check', async () => {
    const { port } = await start({ bodyLimitBytes: 1024 });
    expect((await send(port, { method: 'PUT', body: ECHO })).status).toBe(405);
    expect((await send(port, { method: 'DELETE' })).status).toBe(405);
    const big = await send(port, { body: `[${'1,'.repeat(600)}1]` });
    expect(big.status).toBe(413);
    expect(big.body).toBe('content length too large (1203>1024)\n');
    const plain = await send(port, { body: ECHO, headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(plain.body).toBe('invalid content type, only application/json is supported\n');
    const rpcType = await send(port, {
      body: ECHO,
      headers: { 'content-type': 'application/json-rpc; charset=utf-8' },
    });
    expect(JSON.parse(rpcType.body)).toMatchObject({ result: 'hi' });
    expect((await send(port, { path: '/x', body: ECHO })).status).toBe(404);
    const health = await send(port, { method: 'GET', headers: {} });
    expect(health).toMatchObject({ status: 200, body: '' });
    // After all that, the server still answers.
    expect(JSON.parse((await send(port, { body: ECHO })).body)).toMatchObject({ result: 'hi' });
  });

  it('refuses a chunked body past the limit without buffering it', async () => {
    const { port } = await start({ bodyLimitBytes: 1024 });
    const reply = await send(port, {
      body: Buffer.alloc(4096, 0x20),
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse((await send(port, { body: ECHO })).body)).toMatchObject({ result: 'hi' });
  });

  it('answers bad JSON-RPC with JSON-RPC errors and 200', async () => {
    const { port } = await start();
    const cases: [string, number][] = [
      ['{', -32700],
      ['{"jsonrpc":"1.0","id":1,"method":"test_echo"}', -32600],
      ['{"jsonrpc":"2.0","id":1,"method":"nope_nope"}', -32601],
      ['{"jsonrpc":"2.0","id":1,"method":"test_echo","params":[1]}', -32602],
      ['[]', -32600],
      ['{"jsonrpc":"2.0","id":1,"method":"test_subscribe","params":["ticks"]}', -32601],
    ];
    for (const [body, code] of cases) {
      const reply = await send(port, { body });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code } });
    }
    const note = await send(port, {
      body: '{"jsonrpc":"2.0","method":"test_echo","params":["x"]}',
    });
    expect(note).toMatchObject({ status: 200, body: '' });
  });

  it('checks the Host header against the vhosts; IP hosts pass', async () => {
    const { port } = await start({ vhosts: ['node.example'] });
    expect((await send(port, { body: ECHO, headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await send(port, { body: ECHO, headers: { host: 'node.example:80' } })).status).toBe(
      200,
    );
    expect((await send(port, { body: ECHO, headers: { host: `127.0.0.1:${port}` } })).status).toBe(
      200,
    );
    const local = await start();
    expect((await send(local.port, { body: ECHO, headers: { host: 'localhost' } })).status).toBe(
      200,
    );
    expect((await send(local.port, { body: ECHO, headers: { host: 'other' } })).status).toBe(403);
  });

  it('sets CORS headers only for allowed origins and answers preflights', async () => {
    const { port } = await start({ corsOrigins: ['http://app.example'] });
    const allowed = await send(port, { body: ECHO, headers: { origin: 'http://app.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://app.example');
    const denied = await send(port, { body: ECHO, headers: { origin: 'http://evil.example' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(port, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST, GET');
  });

  it('consults routes first, for requests and upgrades', async () => {
    const upgraded: string[] = [];
    const route: HttpRoute = {
      handle(req, res) {
        if (req.url !== '/page') return false;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<p>page</p>');
        return true;
      },
      upgrade(req, socket: Duplex) {
        if (req.url !== '/page/ws') return false;
        upgraded.push(req.url);
        socket.destroy();
        return true;
      },
    };
    const { port } = await start({ routes: [route] });
    expect(await send(port, { method: 'GET', path: '/page' })).toMatchObject({
      status: 200,
      body: '<p>page</p>',
    });
    expect(JSON.parse((await send(port, { body: ECHO })).body)).toMatchObject({ result: 'hi' });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/page/ws`);
    await new Promise((resolve) => ws.once('error', resolve));
    expect(upgraded).toEqual(['/page/ws']);
  });

  it('closes its connections on close, keep-alive ones included', async () => {
    const server = await start();
    await send(server.port, { body: ECHO, headers: { connection: 'keep-alive' } });
    await server.close();
    await server.close();
    await expect(send(server.port, { body: ECHO })).rejects.toThrow();
  });
});

describe('RpcHttpServer over WebSocket', () => {
  it('answers calls, bad input and subscriptions on one connection', async () => {
    const { port } = await start();
    const { ws, messages, call } = await openWs(`ws://127.0.0.1:${port}`);
    expect(await call(ECHO)).toEqual({ jsonrpc: '2.0', id: 1, result: 'hi' });
    expect(await call('not json')).toMatchObject({ id: null, error: { code: -32700 } });
    expect(await call('[]')).toMatchObject({ error: { code: -32600, message: 'empty batch' } });
    const sub = (await call({
      jsonrpc: '2.0',
      id: 2,
      method: 'test_subscribe',
      params: ['ticks'],
    })) as {
      result: string;
    };
    await waitFor(() => messages.length >= 5, {
      on: { emitters: [ws], events: ['message'] },
      signal: AbortSignal.timeout(10_000),
    });
    expect(messages[4]).toEqual({
      jsonrpc: '2.0',
      method: 'test_subscription',
      params: { subscription: sub.result, result: 'first' },
    });
    ws.close();
  });

  it('answers a burst of requests in order, and a deep or binary message without harm', async () => {
    const { port } = await start();
    const client = await openWs(`ws://127.0.0.1:${port}`);
    for (let id = 0; id < 200; id++) {
      client.ws.send(
        JSON.stringify({ jsonrpc: '2.0', id, method: 'test_echo', params: [`${id}`] }),
      );
    }
    client.ws.send(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    client.ws.send(Buffer.from(ECHO));
    await client.next(
      (m) => (m as { id?: number }).id === 1 && client.messages.length >= 202,
      'every answer',
    );
    expect(client.messages.slice(0, 200).map((m) => (m as { result: string }).result)).toEqual(
      Array.from({ length: 200 }, (_, i) => `${i}`),
    );
    expect(client.messages[200]).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } },
    ]);
    expect(client.messages[201]).toMatchObject({ result: 'hi' });
    client.ws.close();
  });

  it('stops the subscriptions of a client that disconnects', async () => {
    const { port } = await start();
    const client = await openWs(`ws://127.0.0.1:${port}`);
    const before = running;
    await client.call({ jsonrpc: '2.0', id: 1, method: 'test_subscribe', params: ['ticks'] });
    await client.call({ jsonrpc: '2.0', id: 2, method: 'test_subscribe', params: ['ticks'] });
    expect(running).toBe(before + 2);
    const other = await openWs(`ws://127.0.0.1:${port}`);
    client.ws.close();
    await waitFor(() => running === before, {
      what: 'subscriptions stopped',
      signal: AbortSignal.timeout(10_000),
      on: { emitters: [ticks], events: ['stopped'] },
    });
    expect(await other.call(ECHO)).toMatchObject({ result: 'hi' });
    other.ws.close();
  });

  it('refuses a disallowed Origin with 403 and allows none or a listed one', async () => {
    const { port } = await start();
    await expect(
      openWs(`ws://127.0.0.1:${port}`, { origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
    const ok = await openWs(`ws://127.0.0.1:${port}`, { origin: 'http://localhost:3000' });
    expect(await ok.call(ECHO)).toMatchObject({ result: 'hi' });
    ok.ws.close();
  });

  it('closes a connection whose message passes the read limit and keeps serving', async () => {
    const { port } = await start();
    const { ws } = await openWs(`ws://127.0.0.1:${port}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(33 * 1024 * 1024, 0x20));
    expect(await closed).toBe(1009);
    const again = await openWs(`ws://127.0.0.1:${port}`);
    expect(await again.call(ECHO)).toMatchObject({ result: 'hi' });
    again.ws.close();
  });

  it('close() ends every WebSocket client', async () => {
    const server = await start();
    const { ws } = await openWs(`ws://127.0.0.1:${server.port}`);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await server.close();
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });
});
