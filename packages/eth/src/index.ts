/**
 * @ethp2p/eth: the eth wire protocol (eth/68 and eth/69) on top of @ethp2p/server: Status and
 * fork ID (EIP-2124), request tracking, EthPeer and PeerSet.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */

export type { DecodedBlock } from './chain/block.ts';
export type { ChainErrorCode } from './chain/errors.ts';
export { ChainError } from './chain/errors.ts';
export { genesisBlock, genesisStateRoot } from './chain/genesis.ts';
export { decodeHeader } from './chain/header.ts';
export type { ImportOptions } from './chain/memory-chain.ts';
export { MAX_IMPORT_BLOCK_BYTES, MemoryChain } from './chain/memory-chain.ts';
export type { MemoryTxPoolEvents, MemoryTxPoolOptions } from './chain/memory-tx-pool.ts';
export { MAX_POOL_TX_BYTES, MAX_POOL_TXS, MemoryTxPool } from './chain/memory-tx-pool.ts';
export type { TransactionInfo } from './chain/transaction.ts';
export { transactionInfo } from './chain/transaction.ts';
export type { Backend, ChainHeader, ChainReader, TxPool } from './chain/types.ts';
export {
  HOLESKY_BOOTNODES,
  HOODI_BOOTNODES,
  MAINNET_BOOTNODES,
  SEPOLIA_BOOTNODES,
} from './chain-config/bootnodes.ts';
export type {
  BlobConfig,
  BlockForkName,
  ChainConfig,
  ChainParams,
  ForkValue,
  TimeForkName,
} from './chain-config/chain-config.ts';
export { BLOCK_FORKS, TIME_FORKS } from './chain-config/chain-config.ts';
export type {
  ChainConfigFromGenesisOptions,
  Genesis,
  GenesisAccount,
} from './chain-config/genesis.ts';
export { chainConfigFromGenesis, parseGenesisJson, readGenesis } from './chain-config/genesis.ts';
export { HOLESKY, HOODI, MAINNET, NETWORKS, SEPOLIA } from './chain-config/networks.ts';
export type { EthErrorCode } from './errors.ts';
export { EthError } from './errors.ts';
export {
  decodeEthEnrEntry,
  decodeForkId,
  ETH_ENR_KEY,
  encodeForkId,
  ethEnrEntry,
} from './forkid/codec.ts';
export type { ForkFilter, ForkIdRejection } from './forkid/filter.ts';
export { FORK_ID_REJECTION, FORK_TIMESTAMP_THRESHOLD, newForkFilter } from './forkid/filter.ts';
export type { ForkHead, ForkId, ForkList } from './forkid/fork-id.ts';
export { forkId, gatherForks } from './forkid/fork-id.ts';
export { compatibleNodeFilter } from './forkid/node-filter.ts';
export type {
  ExchangeStatusOptions,
  LocalStatusOptions,
  Status,
  StatusRules,
} from './handshake.ts';
export { checkStatus, exchangeStatus, localStatus } from './handshake.ts';
export type {
  BlockAnnouncement,
  BlockBodies,
  BlockHeaders,
  BlockRangeUpdate,
  GetBlockBodies,
  GetBlockHeaders,
  HashOrNumber,
  NewBlock,
  NewBlockHashes,
} from './messages/blocks.ts';
export type { HashesRequest, MessageCodec } from './messages/codec.ts';
export type { GetReceipts, Receipts } from './messages/receipts.ts';
export type { Status68, Status69 } from './messages/status.ts';
export type {
  GetPooledTransactions,
  NewPooledTransactionHashes,
  PooledTransactions,
  Transactions,
} from './messages/transactions.ts';
export type {
  Codecs,
  Eth68Types,
  Eth69Types,
  EthMessage,
  EthVersion,
  RawMessage,
} from './messages/versions.ts';
export {
  decodeMessage,
  defineVersion,
  ETH_VERSIONS,
  ETH68,
  ETH69,
  encodeMessage,
  MAX_MESSAGE_SIZE,
} from './messages/versions.ts';
export {
  MAX_KNOWN_BLOCKS,
  MAX_KNOWN_TXS,
  MAX_PENDING_REQUESTS,
  MAX_QUEUED_TX_ANNS,
  MAX_QUEUED_TXS,
  MAX_TX_PACKET_SIZE_BYTES,
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
export type { EthPeerEvents } from './peer/eth-peer.ts';
export { EthPeer } from './peer/eth-peer.ts';
export type { EthNodeInfo, EthPeerInfo } from './peer/info.ts';
export type {
  BlockRange,
  HeadersRequestOptions,
  PeerHead,
  RequestOptions,
} from './peer/types.ts';
export type { BroadcastResult } from './peer-set/broadcast.ts';
export { broadcastTransactions } from './peer-set/broadcast.ts';
export type { PeerSetEvents } from './peer-set/peer-set.ts';
export { PeerSet } from './peer-set/peer-set.ts';
export type { EthProtocolOptions } from './protocol.ts';
export { createEthProtocols, ETH_PROTOCOL_VERSIONS } from './protocol.ts';
export { serveBodies } from './serve/bodies.ts';
export type { HeaderQuery } from './serve/headers.ts';
export { serveHeaders } from './serve/headers.ts';
export {
  MAX_BODIES_SERVE,
  MAX_HEADERS_SERVE,
  MAX_RECEIPTS_SERVE,
  SOFT_RESPONSE_LIMIT_BYTES,
} from './serve/limits.ts';
export type { ReceiptsOptions, ServedReceipts } from './serve/receipts.ts';
export { serveReceipts } from './serve/receipts.ts';
