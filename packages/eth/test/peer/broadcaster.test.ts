import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { MemoryTxPool } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { ETH69 } from '../../src/messages/versions.ts';
import { Broadcaster } from '../../src/peer/broadcaster.ts';
import { MessageWriter } from '../../src/peer/message-writer.ts';
import { legacyTx } from './fixtures.ts';

/** A broadcaster over a writer that records the codes it writes. */
function broadcaster(txs: Uint8Array[]): { b: Broadcaster; written: number[] } {
  const written: number[] = [];
  const writer = new MessageWriter(
    {
      async writeMsg(code: number) {
        written.push(code);
      },
    },
    ETH69,
  );
  const pool = new MemoryTxPool();
  pool.add(txs);
  return { b: new Broadcaster(writer, pool, silentLogger), written };
}

describe('Broadcaster', () => {
  it('holds no queue until something is sent, then one per kind used', async () => {
    const tx = legacyTx(1);
    const { b, written } = broadcaster([tx]);
    expect(b.queues).toBe(0);
    b.announceTransactions([keccak256(tx)]);
    expect(b.queues).toBe(1);
    b.sendBlockRange({ earliest: 0n, latest: 1n, latestHash: new Uint8Array(32) });
    expect(b.queues).toBe(2);
    await waitFor(() => written.length === 2, { what: 'both messages written' });
    expect(written.sort()).toEqual(
      [ETH69.codecs.NewPooledTransactionHashes.code, ETH69.codecs.BlockRangeUpdate.code].sort(),
    );
  });

  it('drops sends after close without making queues', () => {
    const tx = legacyTx(1);
    const { b, written } = broadcaster([tx]);
    b.close();
    b.sendTransactions([keccak256(tx)]);
    b.announceTransactions([keccak256(tx)]);
    expect(b.queues).toBe(0);
    expect(written).toEqual([]);
  });
});
