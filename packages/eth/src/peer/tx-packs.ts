/**
 * Packing queued transaction hashes into messages: a Transactions broadcast of the pool's
 * transactions, or a NewPooledTransactionHashes announcement, each up to 100 KiB (geth
 * `broadcastTransactions`, `announceTransactions`).
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { TxPool } from '../chain/types.ts';
import { CELL_MASK_BYTES, cellMaskCount } from '../messages/cells.ts';
import { BLOB_TX_TYPE, MAX_TX_PACKET_SIZE_BYTES } from './constants.ts';
import type { MessageWriter } from './message-writer.ts';
import type { QueueFront } from './send-queue.ts';
import { txForVersion, txToWire, txType } from './tx-wire.ts';

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
 * NewPooledTransactionHashes (types, sizes, hashes), each with the size of the form the version
 * carries it in (`txForVersion`: from eth/72 on a blob transaction without its blobs, go-ethereum
 * `SizeWithoutBlob`); a transaction the version cannot carry is not announced. From eth/72 on the
 * announcement carries the cell mask of its blob transactions (the pool's `cellMask`; a blob
 * transaction the pool holds no cell of is not announced): blob transactions share one, so a
 * blob transaction whose mask differs from the first one's ends the pack and leads the next
 * (geth `announceTransactions` batches by custody the same way). Without blob transactions the
 * mask is empty (16 zero bytes, as go-ethereum sends it).
 */
export async function sendAnnouncementPack(
  writer: MessageWriter,
  pool: TxPool,
  front: QueueFront<Uint8Array>,
): Promise<void> {
  const version = writer.version.version;
  const withMask = version >= 72;
  const types: number[] = [];
  const sizes: number[] = [];
  const hashes: Uint8Array[] = [];
  let mask: Uint8Array | undefined;
  while (front.size > 0 && hashes.length * ANNOUNCED_HASH_BYTES < MAX_TX_PACKET_SIZE_BYTES) {
    const hash = front.peek() as Uint8Array;
    const pooled = pool.get(hash);
    let tx = pooled === undefined ? undefined : txForVersion(pooled, version);
    let txMask: Uint8Array | undefined;
    if (tx !== undefined && withMask && txType(tx) === BLOB_TX_TYPE) {
      txMask = pool.cellMask?.(hash);
      if (txMask === undefined || cellMaskCount(txMask) === 0) tx = undefined;
    }
    if (tx !== undefined && txMask !== undefined && mask !== undefined) {
      if (!equalBytes(txMask, mask)) break;
    }
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
