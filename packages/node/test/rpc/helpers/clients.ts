/**
 * Test clients of the RPC servers: a raw HTTP request, a JSON-RPC call over HTTP, and a
 * WebSocket that records what it receives.
 * @module
 */
import { request } from 'node:http';
import { waitFor } from '@ethp2p/base/testing';
import WebSocket from 'ws';

/** An HTTP answer. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request to 127.0.0.1:`port` (POST / with a JSON content type unless told). */
export function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: { 'content-type': 'application/json', ...options.headers },
        signal: AbortSignal.timeout(10_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Calls `method` over HTTP at `url` and returns the parsed JSON-RPC response. */
export async function httpCall(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<unknown> {
  const port = Number(new URL(url).port);
  const reply = await send(port, {
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return JSON.parse(reply.body);
}

/** A WebSocket client that records every message it receives, parsed. */
export interface WsClient {
  readonly ws: WebSocket;
  readonly messages: unknown[];
  /** Sends `body` (an object is JSON-encoded) and returns the next message. */
  call(body: unknown): Promise<unknown>;
  /** Waits until a received message satisfies `test` and returns it. */
  next(test: (message: unknown) => boolean, what: string): Promise<unknown>;
}

/** Opens a WebSocket to `url`. @throws the connection error (e.g. `Unexpected server response: 403`) */
export async function openWs(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const ws = new WebSocket(url, { headers });
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (test: (message: unknown) => boolean, what: string): Promise<unknown> => {
    let found: unknown;
    await waitFor(
      () => {
        found = messages.find(test);
        return found !== undefined;
      },
      { on: { emitters: [ws], events: ['message'] }, what, signal: AbortSignal.timeout(15_000) },
    );
    return found;
  };
  const call = async (body: unknown): Promise<unknown> => {
    const before = messages.length;
    ws.send(typeof body === 'string' ? body : JSON.stringify(body));
    await waitFor(() => messages.length > before, {
      on: { emitters: [ws], events: ['message'] },
      what: 'a websocket answer',
      signal: AbortSignal.timeout(10_000),
    });
    return messages[before];
  };
  return { ws, messages, call, next };
}
