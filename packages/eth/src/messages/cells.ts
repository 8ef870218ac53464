/**
 * eth/72 (EIP-8070): the cell-mask form of NewPooledTransactionHashes (0x08), GetCells (0x14) and
 * Cells (0x15). A cell mask is a 16-byte bitmap over the 128 cell indices of an extended blob
 * (EIP-7594): index `i` is bit `i % 8` of byte `i / 8` (geth `types.CustodyBitmap`). In an
 * announcement it says which cells the sender holds for every blob of the blob transactions it
 * announces; in GetCells which cells are asked for; in Cells which cells are returned. A Cells
 * response lists, per transaction, one cell per set index and blob: by ascending index, then in
 * blob order, so each group holds a multiple of the mask's population count.
 *
 * Wire forms (devp2p `caps/eth.md`, and geth since go-ethereum#35428, after v1.17.5, which sent
 * GetCells and Cells with their fields nested in a second list):
 * - NewPooledTransactionHashes: `[types: B, [size: P, ...], [hash: B_32, ...], cells: B_16]`
 * - GetCells: `[request-id: P, [hash: B_32, ...], cells: B_16]`
 * - Cells: `[request-id: P, [hash: B_32, ...], [[cell: B_2048, ...], ...], cells: B_16]`
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getcells-0x14
 * @see https://eips.ethereum.org/EIPS/eip-8070
 * @module
 */

import {
  encodeBytes,
  encodeList,
  fields,
  listItems,
  type RlpItem,
  readFixed,
  readU64,
  takeItems,
} from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import { BLOB_TX_TYPE } from '../peer/constants.ts';
import { CELL_BYTES } from '../serve/limits.ts';
import {
  checkArray,
  checkFixed,
  defineCodec,
  encodeHashes,
  encodeU64,
  type MessageCodec,
  readHashes,
} from './codec.ts';
import { MAX_CELL_TXS_PER_MESSAGE, MAX_CELLS_PER_MESSAGE } from './limits.ts';
import {
  encodeAnnouncementLists,
  type NewPooledTransactionHashes,
  readAnnouncementLists,
} from './transactions.ts';

/** Bytes of a cell mask (128 bits: the cells of an extended blob, EIP-7594). */
export const CELL_MASK_BYTES = 16;

/** Cells in an extended blob (EIP-7594 `CELLS_PER_EXT_BLOB`): the bits of a cell mask. */
export const CELLS_PER_BLOB = 128;

/** NewPooledTransactionHashes of eth/72: the eth/68 lists and the sender's cell mask. */
export interface NewPooledTransactionHashes72 extends NewPooledTransactionHashes {
  /** The cells the sender holds for every blob of the announced blob transactions (16 bytes). */
  readonly cellMask: Uint8Array;
}

/** GetCells (0x14): the cells `cellMask` selects, of every blob of each transaction. */
export interface GetCells {
  readonly requestId: bigint;
  /** Transaction hashes. */
  readonly hashes: readonly Uint8Array[];
  /** The cell indices asked for (16 bytes). */
  readonly cellMask: Uint8Array;
}

/** Cells (0x15): per transaction of `hashes`, its cells (2048 bytes each) for `cellMask`. */
export interface Cells {
  readonly requestId: bigint;
  readonly hashes: readonly Uint8Array[];
  /** One group per hash: for each set index in ascending order, the cell of each blob. */
  readonly cells: readonly (readonly Uint8Array[])[];
  /** The cell indices returned (16 bytes; a subset of the request's). */
  readonly cellMask: Uint8Array;
}

/** How many cell indices a mask selects. */
export function cellMaskCount(mask: Uint8Array): number {
  let n = 0;
  for (const byte of mask) {
    let b = byte;
    while (b !== 0) {
      n += b & 1;
      b >>= 1;
    }
  }
  return n;
}

/** Whether every index `mask` selects is also in `of`. */
export function cellMaskIsSubset(mask: Uint8Array, of: Uint8Array): boolean {
  return mask.every((b, i) => (b & ~(of[i] ?? 0)) === 0);
}

/** The mask selecting `indices` (each 0..127). @throws {RangeError} for an index out of range */
export function cellMask(indices: Iterable<number>): Uint8Array {
  const mask = new Uint8Array(CELL_MASK_BYTES);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= CELLS_PER_BLOB)
      throw new RangeError(`cell index: expected 0..${CELLS_PER_BLOB - 1}, got ${String(i)}`);
    mask[i >> 3] = (mask[i >> 3] as number) | (1 << (i & 7));
  }
  return mask;
}

/** NewPooledTransactionHashes of eth/72. */
export const newPooledTransactionHashes72: MessageCodec<
  'NewPooledTransactionHashes',
  NewPooledTransactionHashes72
> = defineCodec(
  'NewPooledTransactionHashes',
  0x08,
  (a: NewPooledTransactionHashes72) =>
    encodeList([
      ...encodeAnnouncementLists(a),
      encodeBytes(checkFixed(a.cellMask, CELL_MASK_BYTES, 'NewPooledTransactionHashes.cellMask')),
    ]),
  (root) => {
    const [types, sizes, hashes, mask] = fields(root, 4, 'NewPooledTransactionHashes');
    const lists = readAnnouncementLists(types, sizes, hashes);
    return { ...lists, cellMask: readAnnouncedMask(mask, lists.types) };
  },
);

/**
 * The cell mask of an announcement: 16 bytes; or, when it announces no blob transaction, the
 * empty string EIP-8070 prescribes then (read as the empty mask; go-ethereum sends 16 zero bytes
 * and so do we).
 */
function readAnnouncedMask(item: RlpItem | undefined, types: Uint8Array): Uint8Array {
  const empty = item !== undefined && !item.list && item.payload.length === 0;
  if (empty && !types.includes(BLOB_TX_TYPE)) return new Uint8Array(CELL_MASK_BYTES);
  return readFixed(item, CELL_MASK_BYTES, 'NewPooledTransactionHashes cells');
}

/**
 * GetCells of eth/72. A decoded request holds only the first 4096 hashes; the rest of the list
 * is never read.
 */
export const getCells: MessageCodec<'GetCells', GetCells> = defineCodec(
  'GetCells',
  0x14,
  (r: GetCells) =>
    encodeList([
      encodeU64(r.requestId, 'GetCells.requestId'),
      encodeHashes(r.hashes, 'GetCells.hashes'),
      encodeBytes(checkFixed(r.cellMask, CELL_MASK_BYTES, 'GetCells.cellMask')),
    ]),
  (root) => {
    const [id, hashes, mask] = fields(root, 3, 'GetCells [request-id, hashes, cells]');
    return {
      requestId: readU64(id, 'GetCells request-id'),
      hashes: takeItems(hashes, MAX_CELL_TXS_PER_MESSAGE, 'GetCells hashes').map((h) =>
        readFixed(h, 32, 'GetCells hashes item'),
      ),
      cellMask: readFixed(mask, CELL_MASK_BYTES, 'GetCells cells'),
    };
  },
);

/** Checks that a group of `n` cells fits a mask of `count` indices. @throws {EthError} */
function checkGroup(n: number, count: number, what: string): void {
  if (count === 0 ? n !== 0 : n % count !== 0)
    throw malformed(`${what}: ${n} cells for a mask of ${count} indices`);
}

/** Cells of eth/72. */
export const cells: MessageCodec<'Cells', Cells> = defineCodec(
  'Cells',
  0x15,
  (r: Cells) => {
    const name = 'Cells';
    const mask = checkFixed(r?.cellMask, CELL_MASK_BYTES, `${name}.cellMask`);
    const groups = checkArray<unknown>(r.cells, `${name}.cells`);
    const hashes = checkArray<unknown>(r.hashes, `${name}.hashes`);
    if (groups.length !== hashes.length)
      throw new RangeError(`${name}: ${hashes.length} hashes and ${groups.length} cell groups`);
    const count = cellMaskCount(mask);
    const inner = groups.map((g, i) => {
      const group = checkArray<unknown>(g, `${name}.cells[${i}]`);
      if (count === 0 ? group.length !== 0 : group.length % count !== 0)
        throw new RangeError(`${name}.cells[${i}]: ${group.length} cells for ${count} indices`);
      return encodeList(
        group.map((c, j) => encodeBytes(checkFixed(c, CELL_BYTES, `${name}.cells[${i}][${j}]`))),
      );
    });
    return encodeList([
      encodeU64(r.requestId, `${name}.requestId`),
      encodeHashes(hashes, `${name}.hashes`),
      encodeList(inner),
      encodeBytes(mask),
    ]);
  },
  (root) => {
    const [id, hashList, groupList, maskItem] = fields(root, 4, 'Cells');
    const requestId = readU64(id, 'Cells request-id');
    const cellMask = readFixed(maskItem, CELL_MASK_BYTES, 'Cells cells');
    const hashes = readHashes(hashList, 'Cells hashes', MAX_CELL_TXS_PER_MESSAGE);
    const count = cellMaskCount(cellMask);
    let room = MAX_CELLS_PER_MESSAGE;
    const groups = listItems(groupList, 'Cells groups', MAX_CELL_TXS_PER_MESSAGE).map((g) => {
      const group = listItems(g, 'Cells group', room).map((c) =>
        readFixed(c, CELL_BYTES, 'Cells cell'),
      );
      room -= group.length;
      checkGroup(group.length, count, 'Cells group');
      return group;
    });
    if (groups.length !== hashes.length)
      throw malformed(`Cells: ${hashes.length} hashes and ${groups.length} cell groups`);
    return { requestId, hashes, cells: groups, cellMask };
  },
);
