/**
 * The discv5 transport: `DiscV5Rpc` (sessions, handshakes, requests and responses over a
 * datagram socket) and the `V5Rpc` contract the discv5 service codes against. Internals for the
 * service and the benchmarks; applications use the service.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md
 * @module
 */
export type { SessionDropReason, SessionLimits } from '../session/codec.ts';
export { DEFAULT_SESSION_LIMITS } from '../session/codec.ts';
export type { DiscV5RpcConfig } from './config.ts';
export { DEFAULT_DISCV5_RPC_CONFIG } from './config.ts';
export type { DiscV5RpcErrorCode } from './errors.ts';
export { DISCV5_RPC_ERROR_CODE, DiscV5RpcError } from './errors.ts';
export type { DiscV5RpcMetrics, V5DropReason } from './metrics.ts';
export type { DiscV5RpcOptions } from './rpc.ts';
export { DiscV5Rpc } from './rpc.ts';
export type {
  V5CallOptions,
  V5PingResult,
  V5RequestHandlers,
  V5RequestSource,
  V5Rpc,
} from './types.ts';
