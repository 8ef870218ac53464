/**
 * Packing queued transaction hashes into messages: a Transactions broadcast of the pool's
 * transactions, or a NewPooledTransactionHashes announcement, each up to 100 KiB (geth
 * `broadcastTransactions`, `announceTransactions`).
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { TxPool } from '../chain/types.ts';
import { CELL_MASK_BYTES } from '../messages/cells.ts';
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
 * NewPooledTransactionHashes (types, sizes, hashes). From eth/72 on the announcement carries the
 * cell mask of its blob transactions (the pool's `cellMask`): blob transactions share one, so a
 * blob transaction whose mask differs from the first one's ends the pack and leads the next
 * (geth `announceTransactions` batches by custody the same way). Without blob transactions, or
 * a pool without cells, the mask is empty.
 */
export async function sendAnnouncementPack(
  writer: MessageWriter,
  pool: TxPool,
  front: QueueFront<Uint8Array>,
): Promise<void> {
  const withMask = writer.version.version >= 72;
  const types: number[] = [];
  const sizes: number[] = [];
  const hashes: Uint8Array[] = [];
  let mask: Uint8Array | undefined;
  while (front.size > 0 && hashes.length * ANNOUNCED_HASH_BYTES < MAX_TX_PACKET_SIZE_BYTES) {
    const hash = front.peek() as Uint8Array;
    const tx = pool.get(hash);
    const txMask = withMask && tx !== undefined ? pool.cellMask?.(hash) : undefined;
    if (txMask !== undefined && mask !== undefined && !equalBytes(txMask, mask)) break;
    front.shift();
    if (tx === undefined) continue;
    if (txMask !== undefined) mask = txMask;
    types.push(txType(tx));
    sizes.push(tx.length);
    hashes.push(hash);
  }
  if (hashes.length === 0) return;
  const announcement = { types: Uint8Array.from(types), sizes, hashes };
  await (withMask
    ? writer.send('NewPooledTransactionHashes', {
        ...announcement,
        cellMask: mask ?? new Uint8Array(CELL_MASK_BYTES),
      })
    : writer.send('NewPooledTransactionHashes', announcement));
}
