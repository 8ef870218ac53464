/**
 * The JSON-RPC 2.0 message shapes: classifying a decoded request (call, notification or
 * invalid) with go-ethereum's rules (geth `rpc/json.go`), and building responses. Pure: no I/O.
 * @see https://www.jsonrpc.org/specification
 * @module
 */
import type { RpcErrorObject } from './errors.ts';

/** A request ID: a string, a number or null. */
export type RpcId = string | number | null;

/** A request: a call (answered) or a notification (no `id`, never answered). */
export interface RpcRequest {
  readonly kind: 'call' | 'notification';
  readonly id: RpcId;
  readonly method: string;
  /** `params`: an array, an object (refused later as non-array args), or absent/null as `[]`. */
  readonly params: readonly unknown[] | Readonly<Record<string, unknown>>;
}

/** An element that is not a valid request: answered with `-32600` and the ID if it had one. */
export interface InvalidRpcRequest {
  readonly kind: 'invalid';
  readonly id: RpcId;
}

/** A JSON-RPC response. */
export type RpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: RpcId; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: RpcId; readonly error: RpcErrorObject };

/** A notification the server pushes (a subscription's item). */
export interface RpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params: { readonly subscription: string; readonly result: unknown };
}

/**
 * Classifies one decoded message. Version `"2.0"` exactly, a non-empty string `method`, and an
 * `id` that is absent (a notification), null, a string or a number; `params` absent, null, an
 * array or an object. A bad `id` is answered with a null ID, as geth does.
 */
export function classifyRequest(value: unknown): RpcRequest | InvalidRpcRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null };
  }
  const msg = value as Record<string, unknown>;
  const hasId = 'id' in msg;
  const id = msg.id;
  if (hasId && !isValidId(id)) return { kind: 'invalid', id: null };
  const validId = hasId ? (id as RpcId) : null;
  const { method, params } = msg;
  if (msg.jsonrpc !== '2.0' || typeof method !== 'string' || method === '') {
    return { kind: 'invalid', id: validId };
  }
  if (params !== undefined && params !== null && typeof params !== 'object') {
    return { kind: 'invalid', id: validId };
  }
  return {
    kind: hasId ? 'call' : 'notification',
    id: validId,
    method,
    params: (params ?? []) as RpcRequest['params'],
  };
}

function isValidId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** A result response. */
export function resultResponse(id: RpcId, result: unknown): RpcResponse {
  return { jsonrpc: '2.0', id, result: result === undefined ? null : result };
}

/** An error response. */
export function errorResponse(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: '2.0', id, error };
}

/** A subscription notification: `<namespace>_subscription` with the ID and the item. */
export function subscriptionNotification(
  namespace: string,
  subscription: string,
  result: unknown,
): RpcNotification {
  return { jsonrpc: '2.0', method: `${namespace}_subscription`, params: { subscription, result } };
}
