/**
 * A relay transaction pool for the sample node: it keeps well-formed transactions it is given,
 * bounded in count and size, so the eth protocol can announce and serve them. Transactions are
 * kept in their canonical (EIP-2718) encoding, as {@link TxPool} says. It checks the
 * envelope only (signatures, nonces and balances are not verified: there is no state). A blob
 * transaction comes with its sidecar (the PooledTransactions form), with its blobs (eth/68 to 71,
 * or a user) or without them (eth/72); the pool tracks which cells it holds of each (all of them
 * with the blobs, else those added with `addCells`), announces that mask and serves GetCells.
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @see https://eips.ethereum.org/EIPS/eip-8070
 * @module
 */
import { checkPositiveInt, defaultLogger, type Logger, safeEmit } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { EthError, type TxPool } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import {
  blobTransactionViolation,
  hasBlobSidecar,
  readBlobTransaction,
} from '@ethp2p/eth/messages';
import { EventEmitter } from 'eventemitter3';
import { BlobCells, type ExtendBlob } from './blob-cells.ts';
import { extendBlob } from './exec/crypto.ts';
import { canonicalTransactionInfo, type TransactionInfo } from './transaction.ts';

/** Transactions the pool keeps by default; the oldest go first (geth `maxQueuedTxs` is 4096). */
export const MAX_POOL_TXS = 4096;

/**
 * Largest transaction the pool takes by default: 128 KiB (geth `txMaxSize`). A blob transaction's
 * blobs do not count: they are bounded by {@link MAX_POOL_BLOBS}.
 */
export const MAX_POOL_TX_BYTES: number = 128 * 1024;

/** Blobs the pool keeps by default across its blob transactions (32 MiB of blobs). */
export const MAX_POOL_BLOBS = 256;

/** Options of {@link MemoryTxPool}. */
export interface MemoryTxPoolOptions {
  /** How many transactions to keep (default {@link MAX_POOL_TXS}). */
  readonly maxTxs?: number;
  /** Refuse transactions larger than this (default {@link MAX_POOL_TX_BYTES}). */
  readonly maxTxBytes?: number;
  /** How many blobs to keep across blob transactions (default {@link MAX_POOL_BLOBS}). */
  readonly maxBlobs?: number;
  /** Extends a blob into its 128 cells (default: KZG `compute_cells`; a seam for tests). */
  readonly extendBlob?: ExtendBlob;
  /** Where a throwing event listener is reported (default: warnings to stderr). */
  readonly logger?: Logger;
}

/** Events of {@link MemoryTxPool}. */
export interface MemoryTxPoolEvents {
  /** Transactions newly accepted by one `add` call, in order. */
  'txs:added': (event: { readonly hashes: readonly Uint8Array[] }) => void;
}

/**
 * An in-memory {@link TxPool}. It is owned by its creator and changes synchronously in `add`;
 * `txs:added` fires after each `add` that accepted something, for the broadcaster.
 * @example
 * const pool = new MemoryTxPool();
 * pool.events.on('txs:added', ({ hashes }) => announce(hashes));
 * pool.add([rawTx]); // [true]
 */
export class MemoryTxPool implements TxPool {
  /** `txs:added` notifications. */
  readonly events: Pick<EventEmitter<MemoryTxPoolEvents>, 'on' | 'once' | 'off'>;
  readonly #emitter = new EventEmitter<MemoryTxPoolEvents>();
  readonly #txs = new Map<string, PoolEntry>();
  readonly #maxTxs: number;
  readonly #maxTxBytes: number;
  readonly #maxBlobs: number;
  readonly #extendBlob: ExtendBlob;
  #blobs = 0;
  readonly #logger: Logger;

  /** @throws {RangeError} unless the limits are positive integers */
  constructor(options: MemoryTxPoolOptions = {}) {
    this.#maxTxs = checkPositiveInt('maxTxs', options.maxTxs ?? MAX_POOL_TXS);
    this.#maxTxBytes = checkPositiveInt('maxTxBytes', options.maxTxBytes ?? MAX_POOL_TX_BYTES);
    this.#maxBlobs = checkPositiveInt('maxBlobs', options.maxBlobs ?? MAX_POOL_BLOBS);
    this.#extendBlob = options.extendBlob ?? extendBlob;
    this.#logger = options.logger ?? defaultLogger;
    this.events = this.#emitter;
  }

  /** How many transactions the pool holds. */
  get size(): number {
    return this.#txs.size;
  }

  has(hash: Uint8Array): boolean {
    return this.#txs.has(bytesToHex(hash));
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    return this.#txs.get(bytesToHex(hash))?.tx;
  }

  /** The hash, type and size of a pooled transaction (for eth/68 announcements). */
  info(hash: Uint8Array): TransactionInfo | undefined {
    return this.#txs.get(bytesToHex(hash))?.info;
  }

  /**
   * Keeps each transaction that is a well-formed canonical encoding (a legacy RLP list, or a type
   * byte below 0x80 and an RLP list), at most `maxTxBytes` long (a blob transaction: without its
   * blobs) and not already pooled; a blob transaction must come with a sidecar that checks
   * (commitments matching its versioned hashes, all of its blobs or none). The oldest are dropped
   * to stay within `maxTxs` and `maxBlobs` (a transaction accepted and dropped by the same call
   * still reports true).
   */
  add(txs: readonly Uint8Array[]): boolean[] {
    const added: Uint8Array[] = [];
    const results = txs.map((tx) => {
      const entry = this.#inspect(tx);
      if (entry === undefined) return false;
      const key = bytesToHex(entry.info.hash);
      if (this.#txs.has(key)) return false;
      this.#txs.set(key, entry);
      this.#blobs += entry.blobCount;
      added.push(entry.info.hash);
      return true;
    });
    for (const [key, entry] of this.#txs) {
      if (this.#txs.size <= this.#maxTxs && this.#blobs <= this.#maxBlobs) break;
      this.#txs.delete(key);
      this.#blobs -= entry.blobCount;
    }
    const kept = added.filter((hash) => this.has(hash));
    if (kept.length > 0) {
      safeEmit(this.#emitter, 'txs:added', { hashes: kept }, (err) =>
        this.#logger.warn('tx pool listener failed', { event: 'txs:added', err: String(err) }),
      );
    }
    return results;
  }

  pendingHashes(): Uint8Array[] {
    return [...this.#txs.values()].map((entry) => entry.info.hash);
  }

  /**
   * The cells held of every blob of a pooled blob transaction (all of them when the pool has
   * its blobs); `undefined` for any other transaction.
   */
  cellMask(hash: Uint8Array): Uint8Array | undefined {
    return this.#txs.get(bytesToHex(hash))?.cells?.mask();
  }

  /**
   * The cells `mask` selects of a pooled blob transaction in Cells order, or `undefined` unless
   * the pool holds every one (cells 64 to 127 of a transaction it has the blobs of are computed
   * on first use).
   */
  cells(hash: Uint8Array, mask: Uint8Array): Uint8Array[] | undefined {
    return this.#txs.get(bytesToHex(hash))?.cells?.cells(mask);
  }

  /**
   * Keeps cells of a pooled blob transaction (as a Cells response carries them for `mask`: by
   * ascending index, then blob order). Their KZG proofs are not verified. Returns false (nothing
   * kept) for a transaction not pooled, not a blob transaction, or cells that do not fit the
   * mask.
   */
  addCells(hash: Uint8Array, mask: Uint8Array, cells: readonly Uint8Array[]): boolean {
    return this.#txs.get(bytesToHex(hash))?.cells?.add(mask, cells) ?? false;
  }

  #inspect(tx: unknown): PoolEntry | undefined {
    if (!(tx instanceof Uint8Array)) return undefined;
    try {
      if (!hasBlobSidecar(tx)) {
        if (tx.length > this.#maxTxBytes) return undefined;
        const info = canonicalTransactionInfo(tx);
        // A blob transaction without its sidecar cannot be served: refused.
        return info.type === 3 ? undefined : { info, tx: tx.slice(), blobCount: 0 };
      }
      const blob = readBlobTransaction(tx);
      const full = blob.blobs.length > 0;
      if (blobTransactionViolation(tx, full ? 71 : 72) !== undefined) return undefined;
      const count = blob.versionedHashes.length;
      if (tx.length - blob.blobs.length * (blob.blobs[0]?.length ?? 0) > this.#maxTxBytes)
        return undefined;
      const copy = tx.slice();
      const blobs = full ? readBlobTransaction(copy).blobs : undefined;
      return {
        info: canonicalTransactionInfo(copy),
        tx: copy,
        blobCount: count,
        cells: new BlobCells(count, blobs, this.#extendBlob),
      };
    } catch (err) {
      if (err instanceof ChainError || err instanceof EthError) return undefined;
      throw err;
    }
  }
}

/** A pooled transaction. */
interface PoolEntry {
  readonly info: TransactionInfo;
  readonly tx: Uint8Array;
  /** Its blobs (0 unless a blob transaction). */
  readonly blobCount: number;
  /** The cells held, for a blob transaction. */
  readonly cells?: BlobCells;
}
