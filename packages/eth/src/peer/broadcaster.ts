/**
 * The asynchronous sends of one peer: transaction broadcasts and announcements, and the block
 * announcements of eth/68 and BlockRangeUpdate of eth/69, each through its own bounded queue
 * (geth `eth/protocols/eth/broadcast.go`). Nothing here waits for the peer: a full queue drops
 * its oldest entries. A queue is made on its first use, so an idle peer holds none.
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
  readonly #writer: MessageWriter;
  readonly #txPool: TxPool;
  readonly #log: Logger;
  #txs: SendQueue<Uint8Array> | undefined;
  #txAnns: SendQueue<Uint8Array> | undefined;
  #blockAnns: SendQueue<BlockAnnouncement> | undefined;
  #blocks: SendQueue<NewBlock> | undefined;
  #range: SendQueue<BlockRange> | undefined;
  #closed = false;

  constructor(writer: MessageWriter, txPool: TxPool, log: Logger) {
    this.#writer = writer;
    this.#txPool = txPool;
    this.#log = log;
  }

  /** How many queues exist (each is made on its first use). */
  get queues(): number {
    return this.#all().length;
  }

  /** Queues pool transactions for Transactions packs. */
  sendTransactions(hashes: readonly Uint8Array[]): void {
    if (this.#closed) return;
    this.#txs ??= this.#queue(MAX_QUEUED_TXS, (front) =>
      sendTransactionPack(this.#writer, this.#txPool, front),
    );
    this.#txs.push(...hashes);
  }

  /** Queues pool transactions for NewPooledTransactionHashes packs. */
  announceTransactions(hashes: readonly Uint8Array[]): void {
    if (this.#closed) return;
    this.#txAnns ??= this.#queue(MAX_QUEUED_TX_ANNS, (front) =>
      sendAnnouncementPack(this.#writer, this.#txPool, front),
    );
    this.#txAnns.push(...hashes);
  }

  /** Queues a NewBlockHashes entry (eth/68). */
  announceBlock(announcement: BlockAnnouncement): void {
    if (this.#closed) return;
    this.#blockAnns ??= this.#queue(MAX_QUEUED_BLOCK_ANNS, (front) =>
      this.#writer.send('NewBlockHashes', takeAll(front)),
    );
    this.#blockAnns.push(announcement);
  }

  /** Queues a NewBlock (eth/68). */
  sendBlock(block: NewBlock): void {
    if (this.#closed) return;
    this.#blocks ??= this.#queue(MAX_QUEUED_BLOCKS, (front) =>
      this.#writer.send('NewBlock', front.shift() as NewBlock),
    );
    this.#blocks.push(block);
  }

  /** Queues a BlockRangeUpdate (eth/69), replacing an unsent one. */
  sendBlockRange(range: BlockRange): void {
    if (this.#closed) return;
    // One slot: a newer range replaces an unsent older one.
    this.#range ??= this.#queue(1, (front) =>
      this.#writer.send('BlockRangeUpdate', front.shift() as BlockRange),
    );
    this.#range.push(range);
  }

  /** Drops every queue; later sends are dropped too. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const q of this.#all()) q.close();
  }

  #queue<T>(capacity: number, sendNext: (front: QueueFront<T>) => Promise<void>): SendQueue<T> {
    return new SendQueue({ capacity, sendNext, onError: this.#onError });
  }

  readonly #onError = (err: unknown): void => {
    this.#log.debug('eth send failed', { error: String(err) });
  };

  #all(): { close(): void }[] {
    const all = [this.#txs, this.#txAnns, this.#blockAnns, this.#blocks, this.#range];
    return all.filter((q) => q !== undefined);
  }
}

function takeAll<T>(front: QueueFront<T>): T[] {
  const out: T[] = [];
  while (front.size > 0) out.push(front.shift() as T);
  return out;
}
