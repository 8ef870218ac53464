import { describe, expect, it } from 'vitest';
import type { TxPool } from '../../src/chain/types.ts';
import { cellMask, cellMaskCount } from '../../src/messages/cells.ts';
import { serveCells } from '../../src/serve/cells.ts';
import { MAX_CELLS_SERVE } from '../../src/serve/limits.ts';
import { fakeHash, fakeHashNumber } from '../helpers/fake-chain.ts';

/** A pool holding, for transaction n < `txs`, `blobs` blobs whose cell i is filled with i. */
function pool(txs: number, blobs: number, held: Uint8Array = cellMask([0, 1, 2, 3])): TxPool {
  return {
    has: () => false,
    get: () => undefined,
    add: (list) => list.map(() => false),
    pendingHashes: () => [],
    cells(hash, mask) {
      if (fakeHashNumber(hash) >= txs) return undefined;
      const out: Uint8Array[] = [];
      for (let i = 0; i < 128; i++) {
        if ((((mask[i >> 3] as number) >> (i & 7)) & 1) === 0) continue;
        if ((((held[i >> 3] as number) >> (i & 7)) & 1) === 0) return undefined;
        for (let b = 0; b < blobs; b++) out.push(new Uint8Array(2048).fill(i));
      }
      return out;
    },
  };
}

describe('serveCells (eth/72)', () => {
  const mask = cellMask([1, 3]);

  it('serves the asked cells of the transactions it has, in request order, with the request mask', () => {
    const served = serveCells(pool(2, 2), [fakeHash(1), fakeHash(9), fakeHash(0)], mask);
    expect(served.hashes).toEqual([fakeHash(1), fakeHash(0)]);
    expect(served.cellMask).toEqual(mask);
    // 2 indices x 2 blobs, by index then blob.
    expect(served.cells[0]?.map((c) => c[0])).toEqual([1, 1, 3, 3]);
  });

  it('leaves out a transaction whose cells it does not all hold', () => {
    const served = serveCells(pool(2, 1), [fakeHash(0)], cellMask([3, 4]));
    expect(served.hashes).toEqual([]);
    expect(served.cells).toEqual([]);
  });

  it('answers with no cells from a pool without cells, or for an empty mask', () => {
    const { cells: _, ...bare } = pool(1, 1);
    expect(serveCells(bare, [fakeHash(0)], mask).hashes).toEqual([]);
    expect(serveCells(pool(1, 1), [fakeHash(0)], new Uint8Array(16)).hashes).toEqual([]);
  });

  it('stops after the transaction that reaches 1024 cells (geth answerGetCells)', () => {
    const all = cellMask([0, 1, 2, 3]);
    // 6 blobs x 4 cells = 24 cells per transaction: 43 transactions reach 1032.
    const hashes = Array.from({ length: 100 }, (_, i) => fakeHash(i));
    const served = serveCells(pool(100, 6), hashes, all);
    const cells = served.cells.reduce((n, g) => n + g.length, 0);
    expect(served.hashes).toHaveLength(Math.ceil(MAX_CELLS_SERVE / (6 * cellMaskCount(all))));
    expect(cells).toBeGreaterThanOrEqual(MAX_CELLS_SERVE);
  });
});
