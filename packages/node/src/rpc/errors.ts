/**
 * JSON-RPC 2.0 error codes and {@link RpcError}, with go-ethereum's codes and messages
 * (geth `rpc/errors.go`).
 * @see https://www.jsonrpc.org/specification#error_object
 * @module
 */

/** The error codes the RPC server answers with. */
export const RPC_ERROR_CODE = {
  /** The text is not JSON. */
  PARSE_ERROR: -32700,
  /** Not a JSON-RPC 2.0 request object, an empty batch, or a batch past the item limit. */
  INVALID_REQUEST: -32600,
  /** No such method in the enabled namespaces, or no such subscription. */
  METHOD_NOT_FOUND: -32601,
  /** Missing, extra or ill-typed parameters. */
  INVALID_PARAMS: -32602,
  /** The method failed unexpectedly, or its result is not serializable. */
  INTERNAL_ERROR: -32603,
  /** The method refused the call (geth's `errcodeDefault`): a bad enode, the node stopped. */
  SERVER_ERROR: -32000,
  /** A batch's responses passed the response size limit (geth `errcodeResponseTooLarge`). */
  RESPONSE_TOO_LARGE: -32003,
} as const;

/** One of {@link RPC_ERROR_CODE}'s values. */
export type RpcErrorCode = (typeof RPC_ERROR_CODE)[keyof typeof RPC_ERROR_CODE];

/** The `error` member of a JSON-RPC response. */
export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * An error a method throws to answer with a JSON-RPC error object. Anything else a method
 * throws is answered with `-32000` and its message (as geth does with a method's `error`).
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: RpcErrorCode;

  constructor(code: RpcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The JSON-RPC `error` object. */
  toJson(): RpcErrorObject {
    return { code: this.code, message: this.message };
  }
}

/** `-32601` for a method the server does not have (geth's wording). */
export function methodNotFound(method: string): RpcError {
  return new RpcError(
    RPC_ERROR_CODE.METHOD_NOT_FOUND,
    `the method ${method} does not exist/is not available`,
  );
}

/** `-32602` with `message`. */
export function invalidParams(message: string): RpcError {
  return new RpcError(RPC_ERROR_CODE.INVALID_PARAMS, message);
}

/** `-32600` with `message` (default geth's `invalid request`). */
export function invalidRequest(message = 'invalid request'): RpcError {
  return new RpcError(RPC_ERROR_CODE.INVALID_REQUEST, message);
}

/** `-32000` with `message`: a method that refused the call. */
export function serverError(message: string): RpcError {
  return new RpcError(RPC_ERROR_CODE.SERVER_ERROR, message);
}
