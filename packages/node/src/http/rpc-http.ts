/**
 * JSON-RPC over HTTP POST, with geth's request checks (geth `rpc/http.go` `ServeHTTP` and
 * `validateRequest`): an empty GET is a health check (200), PUT and DELETE get 405, a body past
 * the limit 413, a content type other than JSON 415; everything else is answered with 200 and
 * the JSON-RPC response, errors included.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcConnection } from '../rpc/connection.ts';
import type { RpcHandler } from '../rpc/handler.ts';

/** Largest request body (geth `defaultBodyLimit`, 5 MiB). */
export const DEFAULT_BODY_LIMIT_BYTES: number = 5 * 1024 * 1024;

const CONTENT_TYPE = 'application/json';
/** https://www.jsonrpc.org/historical/json-rpc-over-http.html#id13, as geth accepts. */
const ACCEPTED_CONTENT_TYPES: readonly string[] = [
  CONTENT_TYPE,
  'application/json-rpc',
  'application/jsonrequest',
];

/** Writes a plain-text answer (geth's `http.Error`) and ends the response. */
export function plainError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
  res.end(`${message}\n`);
}

/**
 * The status and message for a request geth would refuse before reading it, or undefined.
 * OPTIONS passes whatever its content type (CORS answers it first).
 */
export function refusal(
  req: IncomingMessage,
  bodyLimit: number,
): { readonly status: number; readonly message: string } | undefined {
  if (req.method === 'PUT' || req.method === 'DELETE') {
    return { status: 405, message: 'method not allowed' };
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > bodyLimit) {
    return { status: 413, message: `content length too large (${length}>${bodyLimit})` };
  }
  if (req.method === 'OPTIONS') return undefined;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== undefined && ACCEPTED_CONTENT_TYPES.includes(mediaType)) return undefined;
  return { status: 415, message: `invalid content type, only ${CONTENT_TYPE} is supported` };
}

/**
 * Reads the body up to `limit` bytes; undefined when it is longer (the rest is not buffered) or
 * the request fails.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: string | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => done(Buffer.concat(chunks).toString('utf8'));
    const onError = (): void => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Answers one JSON-RPC request over HTTP (the request passed the host and CORS checks).
 * Never rejects: a failure to write ends the response.
 */
export async function serveRpcHttp(
  req: IncomingMessage,
  res: ServerResponse,
  handler: RpcHandler,
  bodyLimit: number,
): Promise<void> {
  const url = req.url ?? '/';
  if (
    req.method === 'GET' &&
    !url.includes('?') &&
    Number(req.headers['content-length'] ?? 0) === 0
  ) {
    res.writeHead(200);
    res.end();
    return;
  }
  const refused = refusal(req, bodyLimit);
  if (refused !== undefined) {
    res.setHeader('connection', 'close');
    plainError(res, refused.status, refused.message);
    return;
  }
  const body = await readBody(req, bodyLimit);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    plainError(res, 413, `content length too large (>${bodyLimit})`);
    return;
  }
  const answer = await handler.handle(body, new RpcConnection());
  res.writeHead(200, { 'content-type': CONTENT_TYPE });
  res.end(answer === undefined ? '' : `${answer}\n`);
}
