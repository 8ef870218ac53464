/**
 * The receipts suite's measurement at a tiny size: each version gets a pair of nodes and is
 * served every receipt the executed chain has, every round (the report's shape, not its speed).
 */
import { describe, expect, it } from 'vitest';
import { measureReceipts } from '../src/receipts.ts';

describe('receipts bench', () => {
  it('serves every block’s receipts at eth/68, eth/69 and eth/70, in batches', async () => {
    const results = await measureReceipts({ blocks: 6, txsPerBlock: 3, rounds: 2, batch: 4 });
    expect(results.map((r) => r.version)).toEqual([68, 69, 70]);
    for (const r of results) {
      // 6 blocks in batches of 4: 2 requests a round; 3 receipts a block.
      expect(r.requests).toBe(4);
      expect(r.receipts).toBe(2 * 6 * 3);
      expect(r.bytes).toBeGreaterThan(r.receipts * 10);
      expect(r.ms).toBeGreaterThan(0);
    }
    // eth/69 dropped the bloom (256 bytes a receipt); eth/70 pages the same receipts.
    expect(results[0]?.bytes).toBeGreaterThan((results[1]?.bytes ?? 0) + 256 * 36);
    expect(results[1]?.bytes).toBe(results[2]?.bytes);
  }, 60_000);
});
