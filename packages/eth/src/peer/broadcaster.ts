/**
 * The asynchronous sends of one peer: transaction broadcasts and announcements, and the block
 * announcements of eth/68 and BlockRangeUpdate of eth/69, each through its own bounded queue
 * (geth `eth/protocols/eth/broadcast.go`). Nothing here waits for the peer: a full queue drops
 * its oldest entries.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import type { TxPool } from '../chain/types.ts';
import type { BlockAnnouncement, NewBlock } from '../messages/blocks.ts';
import {
  MAX_QUEUED_BLOCK_ANNS,
  MAX_QUEUED_BLOCKS,
  MAX_QUEUED_TX_ANNS,
  MAX_QUEUED_TXS,
} from './constants.ts';
import type { MessageWriter } from './message-writer.ts';
import { type QueueFront, SendQueue } from './send-queue.ts';
import { sendAnnouncementPack, sendTransactionPack } from './tx-packs.ts';
import type { BlockRange } from './types.ts';

/** The send queues of one peer. Owned by its {@link EthPeer}; `close()` drops them all. */
export class Broadcaster {
  readonly #txs: SendQueue<Uint8Array>;
  readonly #txAnns: SendQueue<Uint8Array>;
  readonly #blockAnns: SendQueue<BlockAnnouncement>;
  readonly #blocks: SendQueue<NewBlock>;
  readonly #range: SendQueue<BlockRange>;

  constructor(writer: MessageWriter, txPool: TxPool, log: Logger) {
    const onError = (err: unknown): void => log.debug('eth send failed', { error: String(err) });
    this.#txs = new SendQueue({
      capacity: MAX_QUEUED_TXS,
      sendNext: (front) => sendTransactionPack(writer, txPool, front),
      onError,
    });
    this.#txAnns = new SendQueue({
      capacity: MAX_QUEUED_TX_ANNS,
      sendNext: (front) => sendAnnouncementPack(writer, txPool, front),
      onError,
    });
    this.#blockAnns = new SendQueue({
      capacity: MAX_QUEUED_BLOCK_ANNS,
      sendNext: (front) => writer.send('NewBlockHashes', takeAll(front)),
      onError,
    });
    this.#blocks = new SendQueue({
      capacity: MAX_QUEUED_BLOCKS,
      sendNext: (front) => writer.send('NewBlock', front.shift() as NewBlock),
      onError,
    });
    // One slot: a newer range replaces an unsent older one.
    this.#range = new SendQueue({
      capacity: 1,
      sendNext: (front) => writer.send('BlockRangeUpdate', front.shift() as BlockRange),
      onError,
    });
  }

  /** Queues pool transactions for Transactions packs. */
  sendTransactions(hashes: readonly Uint8Array[]): void {
    this.#txs.push(...hashes);
  }

  /** Queues pool transactions for NewPooledTransactionHashes packs. */
  announceTransactions(hashes: readonly Uint8Array[]): void {
    this.#txAnns.push(...hashes);
  }

  /** Queues a NewBlockHashes entry (eth/68). */
  announceBlock(announcement: BlockAnnouncement): void {
    this.#blockAnns.push(announcement);
  }

  /** Queues a NewBlock (eth/68). */
  sendBlock(block: NewBlock): void {
    this.#blocks.push(block);
  }

  /** Queues a BlockRangeUpdate (eth/69), replacing an unsent one. */
  sendBlockRange(range: BlockRange): void {
    this.#range.push(range);
  }

  /** Drops every queue. Idempotent. */
  close(): void {
    for (const q of [this.#txs, this.#txAnns, this.#blockAnns, this.#blocks, this.#range]) {
      q.close();
    }
  }
}

function takeAll<T>(front: QueueFront<T>): T[] {
  const out: T[] = [];
  while (front.size > 0) out.push(front.shift() as T);
  return out;
}
