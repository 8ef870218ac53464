/**
 * The eth backend seam: what the eth protocol handler reads from the chain and the transaction
 * pool. The sample node plugs in {@link MemoryChain}; a real client plugs in its own.
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handler.go
 * @module
 */
import type { ChainConfig } from '../chain-config/chain-config.ts';

/**
 * A block header as a chain stores it: its exact RLP and the few fields the eth protocol reads.
 * Values never change after creation; callers must not write into the byte arrays. Its `number`
 * and `time` make it a fork ID `ForkHead`.
 */
export interface ChainHeader {
  /** The header's RLP, exactly as hashed and as served in BlockHeaders. */
  readonly rlp: Uint8Array;
  /** keccak256 of `rlp` (32 bytes). */
  readonly hash: Uint8Array;
  /** The hash of the parent header (32 bytes; zero for a genesis block). */
  readonly parentHash: Uint8Array;
  /** The block number (u64). */
  readonly number: bigint;
  /** The block time in seconds since the epoch (u64). */
  readonly time: bigint;
  /** The receipts trie root (32 bytes). */
  readonly receiptsRoot: Uint8Array;
}

/**
 * Read access to one canonical chain. Methods are synchronous and cheap (an in-memory or cached
 * store): the eth handler calls them on the event loop while it serves a request. Unknown
 * blocks give `undefined`, never an error.
 */
export interface ChainReader {
  /** The chain's configuration (network id, fork schedule). */
  readonly config: ChainConfig;
  /** The genesis header. */
  genesis(): ChainHeader;
  /** The current head of the canonical chain. */
  head(): ChainHeader;
  /** Any known header, canonical or not, by its hash. */
  headerByHash(hash: Uint8Array): ChainHeader | undefined;
  /** The canonical header at `number`. */
  headerByNumber(number: bigint): ChainHeader | undefined;
  /** The RLP of a block's body, `[transactions, ommers, withdrawals?]`, as served in BlockBodies. */
  bodyByHash(hash: Uint8Array): Uint8Array | undefined;
  /**
   * The RLP list of a block's receipts in the eth/69 form, `[[tx-type, post-state-or-status,
   * cumulative-gas, logs], ...]`, or `undefined` when the chain does not have them (a chain
   * without an EVM knows only the receipts of blocks without transactions).
   */
  receiptsByHash(hash: Uint8Array): Uint8Array | undefined;
  /**
   * eth/71: the RLP of a block's access list (EIP-7928), as served in BlockAccessLists, or
   * `undefined` when the chain does not have one (served as the empty entry `0x80`). Optional:
   * a chain without it serves every entry as unavailable.
   */
  blockAccessListByHash?(hash: Uint8Array): Uint8Array | undefined;
}

/**
 * A transaction pool as the eth protocol sees it. A transaction is its canonical (EIP-2718)
 * encoding: a legacy transaction's RLP list, or `type || payload` for a typed one; its hash is
 * keccak256 of that encoding. A blob transaction is held with its sidecar, as PooledTransactions
 * carries it (`0x03 || rlp([payload, 1, blobs, commitments, proofs])`, with all of its blobs or,
 * from an eth/72 peer, none), and its hash is that of `0x03 || rlp(payload)`; the protocol
 * leaves the blobs out for eth/72 peers itself. Message codecs wrap typed transactions in an RLP
 * byte string.
 */
export interface TxPool {
  /** Whether the pool holds the transaction with this hash. */
  has(hash: Uint8Array): boolean;
  /** The canonical encoding of a pooled transaction. */
  get(hash: Uint8Array): Uint8Array | undefined;
  /**
   * Offers transactions received from a peer or a user; returns, for each, whether it was newly
   * accepted (false for duplicates and for transactions the pool refuses). Never throws on bad
   * transaction bytes.
   */
  add(txs: readonly Uint8Array[]): boolean[];
  /** The hashes of the transactions the pool would announce to peers, oldest first. */
  pendingHashes(): Uint8Array[];
  /**
   * eth/72: the cell mask (16 bytes, EIP-8070) of a pooled blob transaction: the cell indices
   * the pool holds for every one of its blobs; `undefined` for any other transaction. Optional:
   * without it, announcements carry an empty mask.
   */
  cellMask?(hash: Uint8Array): Uint8Array | undefined;
  /**
   * eth/72: the cells (2048 bytes each) of a pooled blob transaction at the indices `mask`
   * selects, in Cells order (ascending index, then blob order), or `undefined` unless the pool
   * holds every one of them. Optional: without it, GetCells is answered with no cells.
   */
  cells?(hash: Uint8Array, mask: Uint8Array): Uint8Array[] | undefined;
}

/** A chain that can be extended with blocks received from peers. */
export interface BlockImporter {
  /**
   * Imports blocks (each the canonical RLP `[header, transactions, ommers, withdrawals?, ...]`) in
   * order on top of the chain. Resolves to the new head. Rejects with a ChainError: 'UNLINKED_BLOCK'
   * when a block's parent is unknown, 'INVALID_BLOCK' (details: { number, hash, field }) when a block
   * does not validate (or execute); nothing of the failing block is persisted, the blocks before it
   * stay imported.
   */
  importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader>;
}

/** A chain that can be extended with blocks received from peers. */
export interface BlockImporter {
  /**
   * Imports blocks (each the canonical RLP `[header, transactions, ommers, withdrawals?, ...]`) in
   * order on top of the chain. Resolves to the new head. Rejects with a ChainError: 'UNLINKED_BLOCK'
   * when a block's parent is unknown, 'INVALID_BLOCK' (details: { number, hash, field }) when a block
   * does not validate (or execute); nothing of the failing block is persisted, the blocks before it
   * stay imported.
   */
  importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader>;
}

/** Everything the eth protocol needs from the node it runs in. */
export interface Backend {
  readonly chain: ChainReader;
  readonly txPool: TxPool;
}
