/**
 * Packing queued transaction hashes into messages: a Transactions broadcast of the pool's
 * transactions, or a NewPooledTransactionHashes announcement, each up to 100 KiB (geth
 * `broadcastTransactions`, `announceTransactions`).
 * @module
 */
import type { TxPool } from '../chain/types.ts';
import { MAX_TX_PACKET_SIZE_BYTES } from './constants.ts';
import type { MessageWriter } from './message-writer.ts';
import type { QueueFront } from './send-queue.ts';
import { txToWire, txType } from './tx-wire.ts';

/** Bytes an announcement counts per hash against the pack limit (geth counts the hash). */
const ANNOUNCED_HASH_BYTES = 32;

/**
 * Takes hashes off `front` until the transactions found in the pool reach 100 KiB, and sends
 * them as one Transactions message. Hashes no longer pooled are skipped; if none is left,
 * nothing is sent.
 */
export async function sendTransactionPack(
  writer: MessageWriter,
  pool: TxPool,
  front: QueueFront<Uint8Array>,
): Promise<void> {
  const txs: Uint8Array[] = [];
  let bytes = 0;
  while (front.size > 0 && bytes < MAX_TX_PACKET_SIZE_BYTES) {
    const tx = pool.get(front.shift() as Uint8Array);
    if (tx === undefined) continue;
    txs.push(txToWire(tx));
    bytes += tx.length;
  }
  if (txs.length > 0) await writer.send('Transactions', txs);
}

/**
 * Takes hashes off `front` until 100 KiB of hashes, and announces those still pooled in one
 * NewPooledTransactionHashes (eth/68 form: types, sizes, hashes).
 */
export async function sendAnnouncementPack(
  writer: MessageWriter,
  pool: TxPool,
  front: QueueFront<Uint8Array>,
): Promise<void> {
  const types: number[] = [];
  const sizes: number[] = [];
  const hashes: Uint8Array[] = [];
  while (front.size > 0 && hashes.length * ANNOUNCED_HASH_BYTES < MAX_TX_PACKET_SIZE_BYTES) {
    const hash = front.shift() as Uint8Array;
    const tx = pool.get(hash);
    if (tx === undefined) continue;
    types.push(txType(tx));
    sizes.push(tx.length);
    hashes.push(hash);
  }
  if (hashes.length > 0) {
    await writer.send('NewPooledTransactionHashes', {
      types: Uint8Array.from(types),
      sizes,
      hashes,
    });
  }
}
