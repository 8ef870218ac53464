/**
 * What the node's RPC methods read: the running node's public objects (geth's methods read
 * `node.Node` and `p2p.Server` the same way).
 * @module
 */
import type { DiscoveryV4 } from '@ethp2p/discovery';
import type { ChainReader } from '@ethp2p/eth';
import type { Server } from '@ethp2p/server';
import { serverError } from '../errors.ts';

/** The node as the RPC methods see it; `FullNode` is one. */
export interface NodeRpcBackend {
  /** The devp2p server, once started. */
  readonly server: Server | undefined;
  /** Discovery, once started; undefined when it is off. */
  readonly discovery: DiscoveryV4 | undefined;
  /** The chain served. */
  readonly chain: ChainReader;
  /** The network ID announced in Status. */
  readonly networkId: bigint;
}

/**
 * The running server.
 * @throws {RpcError} `-32000` `node not started` (geth `ErrNodeStopped`)
 */
export function runningServer(backend: NodeRpcBackend): Server {
  const server = backend.server;
  if (server === undefined || !server.running) throw serverError('node not started');
  return server;
}

/** `0x`-prefixed hex of a non-negative integer, geth's `hexutil.Uint64`/`Big` quantity. */
export function hexQuantity(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
