/**
 * A one-call JSON-RPC client over HTTP(S) (fetch) or WebSocket (`ws`), for `ethp2p rpc`.
 * @module
 */
import WebSocket from 'ws';
import type { RpcResponse } from './message.ts';

/**
 * Sends one call to `url` (`http(s)://` or `ws(s)://`) and resolves with the response object,
 * error responses included.
 * @throws {TypeError} for another URL scheme; `signal.reason` when aborted; `Error` for a
 *   transport failure or an answer that is not a JSON-RPC response
 */
export async function rpcRequest(
  url: string,
  method: string,
  params: readonly unknown[],
  { signal }: { signal: AbortSignal },
): Promise<RpcResponse> {
  signal.throwIfAborted();
  const protocol = new URL(url).protocol;
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  const text =
    protocol === 'http:' || protocol === 'https:'
      ? await httpPost(url, body, signal)
      : protocol === 'ws:' || protocol === 'wss:'
        ? await wsExchange(url, body, signal)
        : undefined;
  if (text === undefined) throw new TypeError(`url: expected http(s):// or ws(s)://, got '${url}'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`not a JSON-RPC answer: ${text.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('result' in parsed || 'error' in parsed)) {
    throw new Error(`not a JSON-RPC answer: ${text.slice(0, 200)}`);
  }
  return parsed as RpcResponse;
}

async function httpPost(url: string, body: string, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.trim()}`);
  return text;
}

/** Sends `body` and resolves with the first answer (notifications are skipped). */
function wsExchange(url: string, body: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const done = (err: unknown, text?: string): void => {
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      if (err === undefined) resolve(text as string);
      else reject(err);
    };
    const onAbort = (): void => done(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    ws.on('open', () => ws.send(body));
    ws.on('message', (data) => {
      const text = String(data);
      if (!isNotification(text)) done(undefined, text);
    });
    ws.on('error', (err) => done(err));
    ws.on('close', (code) => done(new Error(`websocket closed (${code}) before the answer`)));
  });
}

/** Whether `text` is a server notification (it has a `method`), not the answer. */
function isNotification(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && 'method' in value;
  } catch {
    return false;
  }
}
