/**
 * {@link RpcHandler}: answers JSON-RPC 2.0 text (a request or a batch) from a registry, with
 * go-ethereum's rules for bad input, batches and subscriptions (geth `rpc/handler.go`).
 * @module
 */
import { type Logger, silentLogger } from '@ethp2p/base';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION, type RpcConnection } from './connection.ts';
import {
  invalidParams,
  invalidRequest,
  methodNotFound,
  RPC_ERROR_CODE,
  RpcError,
  type RpcErrorObject,
  serverError,
} from './errors.ts';
import { classifyRequest, errorResponse, type RpcRequest, resultResponse } from './message.ts';
import type { RpcRegistry, RpcSubscription } from './registry.ts';

/** Most requests in one batch (geth `BatchRequestLimit` default). */
export const DEFAULT_BATCH_ITEM_LIMIT = 1000;
/** Most bytes of responses one batch may produce (geth `BatchResponseMaxSize` default). */
export const DEFAULT_BATCH_RESPONSE_MAX_BYTES = 25_000_000;

/** Options of {@link RpcHandler}. */
export interface RpcHandlerOptions {
  readonly registry: RpcRegistry;
  /** Most requests in one batch; a larger batch gets one `-32600` `batch too large` (default 1000). */
  readonly batchItemLimit?: number;
  /** Past this many response bytes, the rest of a batch gets `-32003` (default 25 MB). */
  readonly batchResponseMaxBytes?: number;
  readonly logger?: Logger;
}

/**
 * Answers requests: never throws and never rejects, whatever the text; a method that throws
 * gets an error response. Stateless apart from the registry: the client's state is the
 * {@link RpcConnection} passed in.
 */
export class RpcHandler {
  readonly #registry: RpcRegistry;
  readonly #batchItemLimit: number;
  readonly #batchResponseMaxBytes: number;
  readonly #log: Logger;

  constructor(options: RpcHandlerOptions) {
    this.#registry = options.registry;
    this.#batchItemLimit = options.batchItemLimit ?? DEFAULT_BATCH_ITEM_LIMIT;
    this.#batchResponseMaxBytes = options.batchResponseMaxBytes ?? DEFAULT_BATCH_RESPONSE_MAX_BYTES;
    this.#log = options.logger ?? silentLogger;
  }

  /**
   * The answer to `text`, or undefined when nothing is owed (notifications only).
   * Malformed JSON gets `-32700`; an empty batch `-32600` `empty batch`.
   */
  async handle(text: string, connection: RpcConnection): Promise<string | undefined> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return stringify(errorResponse(null, { code: RPC_ERROR_CODE.PARSE_ERROR, message: reason }));
    }
    if (!Array.isArray(value)) return this.#single(value, connection);
    if (value.length === 0)
      return stringify(errorResponse(null, invalidRequest('empty batch').toJson()));
    if (value.length > this.#batchItemLimit) return this.#batchTooLarge(value);
    return this.#batch(value, connection);
  }

  async #single(value: unknown, connection: RpcConnection): Promise<string | undefined> {
    const request = classifyRequest(value);
    if (request.kind === 'invalid') {
      return stringify(errorResponse(request.id, invalidRequest().toJson()));
    }
    const response = await this.#call(request, connection);
    return request.kind === 'call' ? response : undefined;
  }

  async #batch(values: readonly unknown[], connection: RpcConnection): Promise<string | undefined> {
    const out: string[] = [];
    let bytes = 0;
    let tooLarge = false;
    for (const value of values) {
      const request = classifyRequest(value);
      if (request.kind === 'invalid') {
        out.push(stringify(errorResponse(request.id, invalidRequest().toJson())));
        continue;
      }
      if (tooLarge) {
        if (request.kind === 'call')
          out.push(stringify(errorResponse(request.id, RESPONSE_TOO_LARGE)));
        continue;
      }
      const response = await this.#call(request, connection);
      if (request.kind !== 'call') continue;
      out.push(response);
      bytes += response.length;
      tooLarge = bytes > this.#batchResponseMaxBytes;
    }
    return out.length === 0 ? undefined : `[${out.join(',')}]`;
  }

  /** geth answers an oversized batch with one error carrying the first call's ID. */
  #batchTooLarge(values: readonly unknown[]): string {
    const first = values.map(classifyRequest).find((r) => r.kind === 'call');
    const error = invalidRequest('batch too large').toJson();
    return `[${stringify(errorResponse(first?.id ?? null, error))}]`;
  }

  /** Runs one request and returns its serialized response. */
  async #call(request: RpcRequest, connection: RpcConnection): Promise<string> {
    let result: unknown;
    try {
      result = await this.#dispatch(request, connection);
    } catch (err) {
      return stringify(errorResponse(request.id, this.#errorObject(request.method, err)));
    }
    try {
      return JSON.stringify(resultResponse(request.id, result));
    } catch (err) {
      this.#log.warn('rpc result not serializable', { method: request.method, err: String(err) });
      return stringify(
        errorResponse(request.id, { code: RPC_ERROR_CODE.INTERNAL_ERROR, message: String(err) }),
      );
    }
  }

  #dispatch(request: RpcRequest, connection: RpcConnection): unknown {
    const { method, params } = request;
    const split = method.indexOf('_');
    const namespace = split > 0 ? method.slice(0, split) : '';
    const action = method.slice(split + 1);
    const subscriptions = this.#registry.subscriptionsOf(namespace);
    if (subscriptions !== undefined && action === 'subscribe') {
      return subscribe(namespace, subscriptions, params, connection);
    }
    if (subscriptions !== undefined && action === 'unsubscribe') {
      return unsubscribe(namespace, params, connection);
    }
    const found = this.#registry.lookup(method);
    if (found === undefined) throw methodNotFound(method);
    return found.call(params);
  }

  #errorObject(method: string, err: unknown): RpcErrorObject {
    if (err instanceof RpcError) return err.toJson();
    if (err instanceof Error) return serverError(err.message).toJson();
    this.#log.warn('rpc method failed', { method, err: String(err) });
    return { code: RPC_ERROR_CODE.INTERNAL_ERROR, message: 'method handler crashed' };
  }
}

const RESPONSE_TOO_LARGE: RpcErrorObject = {
  code: RPC_ERROR_CODE.RESPONSE_TOO_LARGE,
  message: 'response too large',
};

function subscribe(
  namespace: string,
  subscriptions: ReadonlyMap<string, RpcSubscription>,
  params: RpcRequest['params'],
  connection: RpcConnection,
): string {
  if (!connection.canNotify) {
    throw new RpcError(RPC_ERROR_CODE.METHOD_NOT_FOUND, 'notifications not supported');
  }
  if (!Array.isArray(params)) throw invalidParams('non-array args');
  const [name, ...rest] = params as readonly unknown[];
  if (typeof name !== 'string') throw invalidParams('expected subscription name as first argument');
  const subscription = subscriptions.get(name);
  if (subscription === undefined) {
    throw new RpcError(
      RPC_ERROR_CODE.METHOD_NOT_FOUND,
      `no ${JSON.stringify(name)} subscription in ${namespace} namespace`,
    );
  }
  if (connection.subscriptionCount >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    throw serverError(`too many subscriptions (at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION})`);
  }
  return connection.subscribe(namespace, subscription, rest);
}

function unsubscribe(
  namespace: string,
  params: RpcRequest['params'],
  connection: RpcConnection,
): boolean {
  if (!Array.isArray(params)) throw invalidParams('non-array args');
  const list = params as readonly unknown[];
  if (list.length !== 1)
    throw invalidParams(
      list.length === 0
        ? 'missing value for required argument 0'
        : 'too many arguments, want at most 1',
    );
  const [id] = list;
  if (typeof id !== 'string') throw invalidParams('invalid argument 0: expected a string');
  if (!connection.unsubscribe(namespace, id)) throw serverError('subscription not found');
  return true;
}

function stringify(response: ReturnType<typeof errorResponse>): string {
  return JSON.stringify(response);
}
