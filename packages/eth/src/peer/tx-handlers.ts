/**
 * The transaction side of the eth handler: Transactions broadcasts and NewPooledTransactionHashes
 * announcements from a peer (into the pool, fetching what the pool lacks), and GetPooledTransactions
 * served from the pool (geth `eth/handlers.go`, `eth/fetcher/tx_fetcher.go` in brief).
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import { DiscReason, PeerError } from '@ethp2p/server';
import type { TxPool } from '../chain/types.ts';
import type { NewPooledTransactionHashes } from '../messages/transactions.ts';
import {
  BLOB_TX_TYPE,
  MAX_TX_RETRIEVALS,
  MAX_TXS_PER_MESSAGE,
  POOLED_TXS_RESPONSE_LIMIT_BYTES,
} from './constants.ts';
import type { EthPeer } from './eth-peer.ts';
import { txForVersion, txFromWire, txHash, txToWire, txType } from './tx-wire.ts';

/**
 * Takes a Transactions broadcast: into the pool, marked known, `txs:received` emitted.
 * @throws {PeerError} SubprotocolError for more than 5000 transactions or a blob transaction
 *   (those are only ever announced)
 */
export function handleTransactions(peer: EthPeer, pool: TxPool, wire: readonly Uint8Array[]): void {
  if (wire.length > MAX_TXS_PER_MESSAGE) {
    throw new PeerError(
      DiscReason.SubprotocolError,
      `eth: ${wire.length} transactions in one message (at most ${MAX_TXS_PER_MESSAGE})`,
    );
  }
  const txs = wire.map(txFromWire);
  if (txs.some((tx) => txType(tx) === BLOB_TX_TYPE)) {
    throw new PeerError(DiscReason.SubprotocolError, 'eth: blob transaction in a broadcast');
  }
  const hashes = txs.map(txHash);
  peer.markTransactions(...hashes);
  if (txs.length > 0) pool.add(txs);
  peer.receivedTransactions(txs, hashes);
}

/**
 * Takes an announcement (eth/72: with its cell mask, passed on in the event; cells are not
 * fetched): marked known, `txs:announced` emitted, and (when `fetch`) the hashes
 * the pool lacks requested in GetPooledTransactions of up to 256 hashes, in the background.
 * A delivered transaction whose type or size differs from its announcement drops the peer.
 */
export function handleAnnouncement(
  peer: EthPeer,
  pool: TxPool,
  ann: NewPooledTransactionHashes,
  fetch: boolean,
): void {
  peer.announcedTransactions(
    ann.types,
    ann.sizes,
    ann.hashes,
    'cellMask' in ann ? (ann.cellMask as Uint8Array) : undefined,
  );
  if (!fetch) return;
  const wanted = new Map<string, { type: number; size: number }>();
  const hashes: Uint8Array[] = [];
  ann.hashes.forEach((hash, i) => {
    const key = bytesToHex(hash);
    if (pool.has(hash) || wanted.has(key)) return;
    wanted.set(key, { type: ann.types[i] as number, size: ann.sizes[i] as number });
    hashes.push(hash);
  });
  for (let i = 0; i < hashes.length; i += MAX_TX_RETRIEVALS) {
    fetchPooled(peer, pool, hashes.slice(i, i + MAX_TX_RETRIEVALS), wanted).catch((err: unknown) =>
      peer.log.debug('eth tx fetch failed', { error: String(err) }),
    );
  }
}

async function fetchPooled(
  peer: EthPeer,
  pool: TxPool,
  hashes: Uint8Array[],
  announced: ReadonlyMap<string, { type: number; size: number }>,
): Promise<void> {
  const txs = await peer.requestPooledTransactions(hashes);
  const keep: Uint8Array[] = [];
  for (const tx of txs) {
    const meta = announced.get(bytesToHex(txHash(tx)));
    if (meta === undefined) continue; // not asked for: dropped
    if (meta.type !== txType(tx) || meta.size !== tx.length) {
      peer.log.debug('eth tx differs from its announcement', {
        announced: meta,
        got: { type: txType(tx), size: tx.length },
      });
      peer.disconnect(DiscReason.SubprotocolError);
      return;
    }
    keep.push(tx);
  }
  if (keep.length > 0) pool.add(keep);
}

/**
 * The pooled transactions asked for, as message elements in the form `version` carries them
 * (from eth/72 on blob transactions without their blobs): unknown hashes, and blob transactions
 * the version cannot carry, are skipped, and the list stops once it reaches 2 MiB (geth
 * `answerGetPooledTransactions`).
 */
export function servePooledTransactions(
  pool: TxPool,
  hashes: readonly Uint8Array[],
  version: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (const hash of hashes) {
    if (bytes >= POOLED_TXS_RESPONSE_LIMIT_BYTES) break;
    const pooled = pool.get(hash);
    const tx = pooled === undefined ? undefined : txForVersion(pooled, version);
    if (tx === undefined) continue;
    out.push(txToWire(tx));
    bytes += tx.length;
  }
  return out;
}
