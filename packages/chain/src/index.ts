/**
 * @ethp2p/chain: the chain backend of the sample node. `MemoryChain` (a chain imported from a
 * genesis and a chain.rlp), `MemoryTxPool`, the genesis block of a genesis.json, and the block,
 * header and transaction decoders they use. The seam they implement (`ChainReader`, `TxPool`,
 * `Backend`) and the serve functions are in `@ethp2p/eth`; `ChainError` is in `@ethp2p/eth/chain`.
 * @module
 */

export { nextBaseFee } from './base-fee.ts';
export type { DecodedBlock } from './block.ts';
export {
  emptyBodyOf,
  GAS_LIMIT_BOUND_DIVISOR,
  listRoot,
  MAX_EXTRA_DATA_BYTES,
  MIN_GAS_LIMIT,
  validateBlock,
  validateBody,
  validateHeader,
} from './block-validation.ts';
export type { ImportOptions } from './chain-file.ts';
export { MAX_IMPORT_BLOCK_BYTES } from './chain-file.ts';
export { genesisBlock } from './genesis.ts';
export type { HeaderFields } from './header.ts';
export { decodeHeader, HEADER_FIELD_INDEX } from './header.ts';
export { MemoryChain } from './memory-chain.ts';
export type { MemoryTxPoolEvents, MemoryTxPoolOptions } from './memory-tx-pool.ts';
export { MAX_POOL_BLOBS, MAX_POOL_TX_BYTES, MAX_POOL_TXS, MemoryTxPool } from './memory-tx-pool.ts';
export type { PersistentChainOptions } from './persistent-chain.ts';
export { PersistentChain } from './persistent-chain.ts';
export type { TransactionInfo } from './transaction.ts';
export { transactionInfo } from './transaction.ts';
