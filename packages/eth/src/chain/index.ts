/**
 * @ethp2p/eth/chain: a sample Backend and the pieces it is built from. `MemoryChain` (a chain
 * imported from a genesis and a chain.rlp), `MemoryTxPool`, the block, header and transaction
 * decoders they use, and the pure `serve*` functions that answer eth requests from any
 * `ChainReader` within geth's limits. The `Backend` interfaces themselves are in `@ethp2p/eth`.
 * @module
 */

export { serveAccessLists } from '../serve/access-lists.ts';
export { serveBodies } from '../serve/bodies.ts';
export { serveCells } from '../serve/cells.ts';
export type { HeaderQuery } from '../serve/headers.ts';
export { serveHeaders } from '../serve/headers.ts';
export {
  MAX_ACCESS_LISTS_SERVE,
  MAX_BODIES_SERVE,
  MAX_CELLS_SERVE,
  MAX_HEADERS_SERVE,
  MAX_RECEIPTS_SERVE,
  SOFT_RESPONSE_LIMIT_BYTES,
} from '../serve/limits.ts';
export type { ReceiptsOptions, ServedReceipts } from '../serve/receipts.ts';
export { serveReceipts } from '../serve/receipts.ts';
export type { DecodedBlock } from './block.ts';
export type { ChainErrorCode } from './errors.ts';
export { ChainError } from './errors.ts';
export { genesisBlock } from './genesis.ts';
export { decodeHeader } from './header.ts';
export type { ImportOptions } from './memory-chain.ts';
export { MAX_IMPORT_BLOCK_BYTES, MemoryChain } from './memory-chain.ts';
export type { MemoryTxPoolEvents, MemoryTxPoolOptions } from './memory-tx-pool.ts';
export { MAX_POOL_TX_BYTES, MAX_POOL_TXS, MemoryTxPool } from './memory-tx-pool.ts';
export type { TransactionInfo } from './transaction.ts';
export { transactionInfo } from './transaction.ts';
