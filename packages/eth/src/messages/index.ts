/**
 * @ethp2p/eth/messages: the eth wire codecs, for tools, tests and new versions. One
 * `MessageCodec` per message, the version tables (`ETH68` to `ETH72`: code → codec) with
 * `decodeMessage`/`encodeMessage`, `defineVersion`/`defineCodec` to build a new table, and the
 * fork ID codecs. Decoders take untrusted bytes and throw only `EthError` (`MALFORMED`, with the
 * `RlpError` of `@ethp2p/base/rlp` as `cause` for bad RLP; `UNKNOWN_CODE`, `TOO_LARGE`).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */

export { decodeEthEnrEntry, decodeForkId, encodeForkId } from '../forkid/codec.ts';
export { CELL_BYTES } from '../serve/limits.ts';
export type { BlockAccessLists, GetBlockAccessLists } from './access-lists.ts';
export { UNAVAILABLE_ACCESS_LIST } from './access-lists.ts';
export type { BlobTransaction } from './blob-transactions.ts';
export {
  BLOB_BYTES,
  blobTransactionViolation,
  hasBlobSidecar,
  KZG_BYTES,
  readBlobTransaction,
  transactionHash,
  withoutBlobs,
} from './blob-transactions.ts';
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
} from './blocks.ts';
export type { Cells, GetCells, NewPooledTransactionHashes72 } from './cells.ts';
export {
  CELL_MASK_BYTES,
  CELLS_PER_BLOB,
  cellMask,
  cellMaskCount,
  cellMaskIsSubset,
} from './cells.ts';
export type { HashesRequest, MessageCodec } from './codec.ts';
export { defineCodec } from './codec.ts';
export type { GetReceipts, GetReceipts70, Receipts, Receipts70 } from './receipts.ts';
export type { Status68, Status69 } from './status.ts';
export type {
  GetPooledTransactions,
  NewPooledTransactionHashes,
  PooledTransactions,
  Transactions,
} from './transactions.ts';
export type {
  Codecs,
  Eth68Types,
  Eth69Types,
  Eth70Types,
  Eth71Types,
  Eth72Types,
  EthMessage,
  EthVersion,
  RawMessage,
} from './versions.ts';
export {
  decodeMessage,
  defineVersion,
  ETH_VERSIONS,
  ETH68,
  ETH69,
  ETH70,
  ETH71,
  ETH72,
  encodeMessage,
  MAX_MESSAGE_SIZE,
} from './versions.ts';
