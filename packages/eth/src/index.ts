/**
 * @ethp2p/eth: the eth wire protocol (eth/68 to eth/72) on top of @ethp2p/server: the
 * protocols to register, EthPeer and PeerSet, the Status exchange, fork IDs (EIP-2124), the
 * network configurations and the Backend a node implements.
 *
 * Subpaths: `@ethp2p/eth/messages` (message codecs and version tables) and `@ethp2p/eth/chain`
 * (a sample in-memory Backend and the pure serve functions).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */

export type { Backend, BlockImporter, ChainHeader, ChainReader, TxPool } from './chain/types.ts';
export {
  HOLESKY_BOOTNODES,
  HOODI_BOOTNODES,
  MAINNET_BOOTNODES,
  SEPOLIA_BOOTNODES,
  V5_BOOTNODES,
} from './chain-config/bootnodes.ts';
export type {
  BlobConfig,
  BlockForkName,
  ChainConfig,
  ChainParams,
  ForkValue,
  TimeForkName,
} from './chain-config/chain-config.ts';
export type {
  ChainConfigFromGenesisOptions,
  Genesis,
  GenesisAccount,
} from './chain-config/genesis.ts';
export { chainConfigFromGenesis, parseGenesisJson, readGenesis } from './chain-config/genesis.ts';
export { HOLESKY, HOODI, MAINNET, NETWORKS, SEPOLIA } from './chain-config/networks.ts';
export type { EthErrorCode } from './errors.ts';
export { EthError } from './errors.ts';
export { ETH_ENR_KEY, ethEnrEntry } from './forkid/codec.ts';
export type { ForkFilter, ForkIdRejection } from './forkid/filter.ts';
export { FORK_ID_REJECTION, newForkFilter } from './forkid/filter.ts';
export type { ForkHead, ForkId } from './forkid/fork-id.ts';
export { forkId } from './forkid/fork-id.ts';
export { compatibleNodeFilter } from './forkid/node-filter.ts';
export type {
  ExchangeStatusOptions,
  LocalStatusOptions,
  Status,
  StatusRules,
} from './handshake.ts';
export { exchangeStatus, localStatus } from './handshake.ts';
export type { BlockAnnouncement } from './messages/blocks.ts';
export type { Status68, Status69 } from './messages/status.ts';
export {
  MAX_PENDING_REQUESTS,
  REQUEST_TIMEOUT_MS,
  STATUS_TIMEOUT_MS,
} from './peer/constants.ts';
export type { PeerSetErrorCode, RequestErrorCode, StatusErrorCode } from './peer/errors.ts';
export {
  PEER_SET_ERROR_CODE,
  PeerSetError,
  REQUEST_ERROR_CODE,
  RequestError,
  STATUS_ERROR_CODE,
  StatusError,
} from './peer/errors.ts';
export type { EthPeerEvents, RequestReputation } from './peer/eth-peer.ts';
export { EthPeer } from './peer/eth-peer.ts';
export type { EthNodeInfo, EthPeerInfo } from './peer/info.ts';
export type { ReceiptBounds } from './peer/partial-receipts.ts';
export { receiptBounds } from './peer/partial-receipts.ts';
export type {
  PoolCharge,
  ResponsePool,
  ServeBudgetMetrics,
  ServeBudgetOptions,
  ServeLane,
} from './peer/serve-budget.ts';
export { ServeBudget } from './peer/serve-budget.ts';
export type {
  BlockRange,
  HeadersRequestOptions,
  PeerHead,
  ReceiptsRequestOptions,
  RequestOptions,
} from './peer/types.ts';
export type { BroadcastResult } from './peer-set/broadcast.ts';
export { broadcastTransactions } from './peer-set/broadcast.ts';
export type { PeerSetEvents, PeerSetOptions } from './peer-set/peer-set.ts';
export { PeerSet } from './peer-set/peer-set.ts';
export type { EthProtocolOptions } from './protocol.ts';
export { createEthProtocols, ETH_PROTOCOL_VERSIONS } from './protocol.ts';
