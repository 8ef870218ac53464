/**
 * @ethp2p/node: the sample full devp2p node (discovery v4, the p2p server and eth/68 to eth/72)
 * and `main`, the `ethp2p` command line. The CLI's building blocks (command registry, option
 * parsing, node sets, durations, the line logger) are in `@ethp2p/node/cli`.
 * @module
 */

export type { CliIo, CliOutput } from './cli/io.ts';
export { main } from './cli/main.ts';
export type { HttpRoute } from './http/route.ts';
export type { NatErrorCode } from './nat/errors.ts';
export { NAT_ERROR_CODE, NatError } from './nat/errors.ts';
export type {
  NatInterface,
  NatMapping,
  NatProtocol,
  NatRequestOptions,
} from './nat/nat-interface.ts';
export type { NatSpec } from './nat/parse.ts';
export { NAT_FORMS, parseNat } from './nat/parse.ts';
export type { ChainFiles, NetworkName } from './node/chain.ts';
export {
  genesisOnlyChain,
  isNetworkName,
  loadChainFiles,
  NETWORK_NAMES,
  networkChain,
  openChainFiles,
} from './node/chain.ts';
export type { FullNodeOptions, StoredChain } from './node/config.ts';
export {
  CLIENT_VERSION,
  DEFAULT_LISTEN_IP,
  DEFAULT_PORT,
  defaultClientName,
} from './node/config.ts';
export { defaultDatadir } from './node/datadir.ts';
export type { NodeErrorCode } from './node/errors.ts';
export { NODE_ERROR_CODE, NodeError } from './node/errors.ts';
export type { FullNodeEvents } from './node/full-node.ts';
export { FullNode } from './node/full-node.ts';
export type { HttpRpcOptions, WsRpcOptions } from './node/rpc-servers.ts';
export { DEFAULT_HTTP_PORT, DEFAULT_RPC_HOST, DEFAULT_WS_PORT } from './node/rpc-servers.ts';
export type { LastDialError, NodeStatus, StatusHead, StatusSync } from './node/status.ts';
export { formatStatusLine, STATUS_INTERVAL_MS } from './node/status.ts';
export { NODE_RPC_NAMESPACES } from './rpc/api/index.ts';
export type { PeerEventJson } from './rpc/api/peer-events.ts';
export {
  MAX_BODY_FETCH,
  MAX_HEADER_FETCH,
  MAX_IMPORT_BATCH,
  MAX_QUEUED_BLOCKS,
  SYNC_REQUEST_TIMEOUT_MS,
} from './sync/constants.ts';
export type { RoundEnd, SyncChain } from './sync/sync-round.ts';
export type { SyncerEvents, SyncerOptions, SyncProgress } from './sync/syncer.ts';
export { Syncer } from './sync/syncer.ts';
export { TESTNET_CHAIN_ID, testnetGenesisJson } from './testnet/genesis.ts';
export type { SyntheticBlockOptions } from './testnet/synthetic-blocks.ts';
export { syntheticBlocks } from './testnet/synthetic-blocks.ts';
