/**
 * Relaying pool transactions to the registered peers (geth `eth/handler.go`
 * `BroadcastTransactions`): each transaction goes in full to the square root of the peers that
 * lack it and is announced to the others; a blob transaction or one over 4 KiB is only announced.
 * @module
 */
import type { TxPool } from '../chain/types.ts';
import { BLOB_TX_TYPE, TX_MAX_BROADCAST_SIZE_BYTES } from '../peer/constants.ts';
import type { EthPeer } from '../peer/eth-peer.ts';
import { txType } from '../peer/tx-wire.ts';
import type { PeerSet } from './peer-set.ts';

/** How a {@link broadcastTransactions} call spread the transactions. */
export interface BroadcastResult {
  /** Transaction-peer pairs queued for a full send. */
  readonly sent: number;
  /** Transaction-peer pairs queued for an announcement. */
  readonly announced: number;
}

/**
 * Queues the pool transactions `hashes` to every registered peer not known to have them: in
 * full to ⌊√n⌋ of the n such peers (none for blob or large transactions), announced to the rest.
 * Hashes the pool does not hold are skipped. Returns at once; the peers' queues do the sending.
 */
export function broadcastTransactions(
  peers: PeerSet,
  pool: TxPool,
  hashes: readonly Uint8Array[],
): BroadcastResult {
  const full = new Map<EthPeer, Uint8Array[]>();
  const ann = new Map<EthPeer, Uint8Array[]>();
  let sent = 0;
  let announced = 0;
  for (const hash of hashes) {
    const tx = pool.get(hash);
    if (tx === undefined) continue;
    const without = peers.peersWithoutTx(hash);
    const announceOnly = txType(tx) === BLOB_TX_TYPE || tx.length > TX_MAX_BROADCAST_SIZE_BYTES;
    const direct = announceOnly ? 0 : Math.floor(Math.sqrt(without.length));
    without.forEach((peer, i) => {
      const target = i < direct ? full : ann;
      const list = target.get(peer) ?? [];
      list.push(hash);
      target.set(peer, list);
      if (i < direct) sent++;
      else announced++;
    });
  }
  for (const [peer, list] of full) peer.asyncSendTransactions(list);
  for (const [peer, list] of ann) peer.asyncAnnounceTransactions(list);
  return { sent, announced };
}
