/**
 * The sync suite's measurement at a tiny size: each case syncs the follower to the seed's head,
 * structural and with execution (the report's shape, not its speed).
 */
import { describe, expect, it } from 'vitest';
import { measureSync, SYNC_CASES } from '../src/sync.ts';

describe('sync bench', () => {
  it('syncs every case to the seed’s head and reports its blocks and bytes', async () => {
    const results = await measureSync({ blocks: 12, executedBlocks: 4 });
    expect(results.map((r) => r.label)).toEqual(SYNC_CASES.map((c) => c.label));
    expect(results.map((r) => r.blocks)).toEqual([12, 12, 4]);
    for (const r of results) {
      expect(r.bytes).toBeGreaterThan(r.blocks * 500);
      expect(r.syncMs).toBeGreaterThan(0);
      expect(r.importMs).toBeGreaterThan(0);
    }
    // Bodies make the second case's chain larger than the first's.
    expect(results[1]?.bytes).toBeGreaterThan(results[0]?.bytes ?? 0);
  }, 120_000);
});
