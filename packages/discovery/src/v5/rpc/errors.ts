/**
 * Errors of the discv5 rpc calls.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link DiscV5RpcError} was raised. */
export const DISCV5_RPC_ERROR_CODE = {
  /** No (complete) response within the response timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The rpc was closed while the call was pending, or before it started. */
  CLOSED: 'CLOSED',
  /** The node has no IP or UDP port to send to. */
  NO_ENDPOINT: 'NO_ENDPOINT',
  /** A session limit refused the handshake with this node. */
  LIMIT: 'LIMIT',
} as const;

/** Why a {@link DiscV5RpcError} was raised. */
export type DiscV5RpcErrorCode = (typeof DISCV5_RPC_ERROR_CODE)[keyof typeof DISCV5_RPC_ERROR_CODE];

/** A discv5 call that failed. Aborted calls reject with `signal.reason` instead. */
export class DiscV5RpcError extends CodedError<DiscV5RpcErrorCode> {
  override readonly name: string = 'DiscV5RpcError';
}
