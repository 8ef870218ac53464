/**
 * A relay transaction pool for the sample node: it keeps well-formed transactions it is given,
 * bounded in count and size, so the eth protocol can announce and serve them. It checks the
 * envelope only (signatures, nonces and balances are not verified: there is no state).
 * @see https://eips.ethereum.org/EIPS/eip-2718
 * @module
 */
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import { EventEmitter } from 'eventemitter3';
import { EthError } from '../errors.ts';
import { readRoot } from '../messages/rlp.ts';
import type { TxPool } from './types.ts';

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
  readonly #txs = new Map<string, { readonly hash: Uint8Array; readonly tx: Uint8Array }>();
  readonly #maxTxs: number;
  readonly #maxTxBytes: number;

  /** @throws {RangeError} unless the limits are positive integers */
  constructor(options: MemoryTxPoolOptions = {}) {
    this.#maxTxs = positive('maxTxs', options.maxTxs ?? MAX_POOL_TXS);
    this.#maxTxBytes = positive('maxTxBytes', options.maxTxBytes ?? MAX_POOL_TX_BYTES);
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

  /**
   * Keeps each transaction that is a well-formed envelope (a legacy RLP list, or a type byte up
   * to 0x7f and an RLP list), not too large and not already pooled; the oldest are dropped to
   * stay within `maxTxs`.
   */
  add(txs: readonly Uint8Array[]): boolean[] {
    const added: Uint8Array[] = [];
    const results = txs.map((tx) => {
      if (!this.#acceptable(tx)) return false;
      const hash = keccak256(tx);
      const key = bytesToHex(hash);
      if (this.#txs.has(key)) return false;
      this.#txs.set(key, { hash, tx: tx.slice() });
      added.push(hash);
      return true;
    });
    for (const key of this.#txs.keys()) {
      if (this.#txs.size <= this.#maxTxs) break;
      this.#txs.delete(key);
    }
    const kept = added.filter((hash) => this.has(hash));
    if (kept.length > 0) this.#emitter.emit('txs:added', { hashes: kept });
    return results;
  }

  pendingHashes(): Uint8Array[] {
    return [...this.#txs.values()].map((entry) => entry.hash);
  }

  #acceptable(tx: unknown): tx is Uint8Array {
    if (!(tx instanceof Uint8Array) || tx.length === 0 || tx.length > this.#maxTxBytes)
      return false;
    const first = tx[0] as number;
    if (first >= 0x80 && first < 0xc0) return false;
    try {
      return readRoot(first < 0x80 ? tx.subarray(1) : tx, 'transaction').list;
    } catch (err) {
      if (err instanceof EthError) return false;
      throw err;
    }
  }
}

function positive(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${field}: expected a positive integer, got ${value}`);
  }
  return value;
}
