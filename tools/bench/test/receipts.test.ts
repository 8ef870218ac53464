/**
 * The receipts suite's measurement at a tiny size: each version gets a pair of nodes and is
 * served every receipt the executed chain has, every round (the report's shape, not its speed).
 */
import { describe, expect, it } from 'vitest';
import { measureReceipts } from '../src/receipts.ts';

describe('receipts bench', () => {
  it('serves every block’s receipts at eth/68, eth/69 and eth/70, budgeted and not, in batches', async () => {
    const results = await measureReceipts({
      blocks: 6,
      txsPerBlock: 3,
      rounds: 2,
      budgetedRounds: 2,
      batch: 4,
    });
    expect(results.map((r) => `${r.version} ${r.budget}`)).toEqual([
      '68 default',
      '68 lifted',
      '69 default',
      '69 lifted',
      '70 default',
      '70 lifted',
    ]);
    for (const r of results) {
      // 6 blocks in batches of 4: 2 requests a round; 3 receipts a block.
      expect(r.requests).toBe(4);
      expect(r.receipts).toBe(2 * 6 * 3);
      expect(r.bytes).toBeGreaterThan(r.receipts * 10);
      expect(r.ms).toBeGreaterThan(0);
    }
    const bytes = results.map((r) => r.bytes);
    // The budget changes nothing served; eth/69 dropped the bloom (256 bytes a receipt);
    // eth/70 pages the same receipts.
    expect(bytes[0]).toBe(bytes[1]);
    expect(bytes[0]).toBeGreaterThan((bytes[2] ?? 0) + 256 * 36);
    expect(new Set(bytes.slice(2)).size).toBe(1);
  }, 60_000);
});
