/**
 * Serving GetCells (eth/72) from the transaction pool within geth's limits. Pure: reads the
 * pool, never throws on a request a peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getcells-0x14
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */
import type { TxPool } from '../chain/types.ts';
import { type Cells, cellMaskCount } from '../messages/cells.ts';
import { CELL_BYTES, MAX_CELLS_SERVE } from './limits.ts';

/**
 * The cells `mask` selects of each requested transaction the pool holds them all for, in request
 * order; a transaction without them is left out. Stops once {@link MAX_CELLS_SERVE} cells are in
 * (geth `answerGetCells`: the transaction that crosses it is the last). The response mask is the
 * request's. A pool without cells answers with none.
 */
export function serveCells(
  pool: TxPool,
  hashes: readonly Uint8Array[],
  mask: Uint8Array,
): Omit<Cells, 'requestId'> {
  const served: Uint8Array[] = [];
  const cells: Uint8Array[][] = [];
  const indices = cellMaskCount(mask);
  let count = 0;
  for (const hash of hashes) {
    if (count >= MAX_CELLS_SERVE || pool.cells === undefined) break;
    const group = pool.cells(hash, mask);
    if (group === undefined || group.length === 0) continue;
    // What the pool gave must be what the mask asks for: whole blobs of 2048-byte cells.
    if (indices === 0 || group.length % indices !== 0) continue;
    if (group.some((c) => c.length !== CELL_BYTES)) continue;
    served.push(hash);
    cells.push(group);
    count += group.length;
  }
  return { hashes: served, cells, cellMask: mask };
}
