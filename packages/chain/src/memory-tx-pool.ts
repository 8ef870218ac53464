/**
 * A relay transaction pool for the sample node: it keeps well-formed transactions it is given,
 * bounded in count and size, so the eth protocol can announce and serve them. Transactions are
 * kept in their canonical (EIP-2718) encoding, as {@link TxPool} says. It checks the
 * envelope only (signatures, nonces and balances are not verified: there is no state).
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @module
 */
import { checkPositiveInt, defaultLogger, type Logger, safeEmit } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { TxPool } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { EventEmitter } from 'eventemitter3';
import { canonicalTransactionInfo, type TransactionInfo } from './transaction.ts';

/** Transactions the pool keeps by default; the oldest go first (geth `maxQueuedTxs` is 4096). */
export const MAX_POOL_TXS = 4096;

/** Largest transaction the pool takes by default: 128 KiB (geth `txMaxSize`; blob sidecars exceed it). */
export const MAX_POOL_TX_BYTES: number = 128 * 1024;

/** Options of {@link MemoryTxPool}. */
export interface MemoryTxPoolOptions {
  /** How many transactions to keep (default {@link MAX_POOL_TXS}). */
  readonly maxTxs?: number;
  /** Refuse transactions larger than this (default {@link MAX_POOL_TX_BYTES}). */
  readonly maxTxBytes?: number;
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
  readonly #txs = new Map<string, { readonly info: TransactionInfo; readonly tx: Uint8Array }>();
  readonly #maxTxs: number;
  readonly #maxTxBytes: number;
  readonly #logger: Logger;

  /** @throws {RangeError} unless the limits are positive integers */
  constructor(options: MemoryTxPoolOptions = {}) {
    this.#maxTxs = checkPositiveInt('maxTxs', options.maxTxs ?? MAX_POOL_TXS);
    this.#maxTxBytes = checkPositiveInt('maxTxBytes', options.maxTxBytes ?? MAX_POOL_TX_BYTES);
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
   * byte below 0x80 and an RLP list),
   * at most `maxTxBytes` long and not already pooled; the oldest are dropped to stay within
   * `maxTxs` (a transaction accepted and dropped by the same call still reports true).
   */
  add(txs: readonly Uint8Array[]): boolean[] {
    const added: Uint8Array[] = [];
    const results = txs.map((tx) => {
      const info = this.#inspect(tx);
      if (info === undefined) return false;
      const key = bytesToHex(info.hash);
      if (this.#txs.has(key)) return false;
      this.#txs.set(key, { info, tx: tx.slice() });
      added.push(info.hash);
      return true;
    });
    for (const key of this.#txs.keys()) {
      if (this.#txs.size <= this.#maxTxs) break;
      this.#txs.delete(key);
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

  #inspect(tx: unknown): TransactionInfo | undefined {
    if (!(tx instanceof Uint8Array) || tx.length > this.#maxTxBytes) return undefined;
    try {
      return canonicalTransactionInfo(tx);
    } catch (err) {
      if (err instanceof ChainError) return undefined;
      throw err;
    }
  }
}
