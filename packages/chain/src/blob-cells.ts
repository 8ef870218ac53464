/**
 * The cells a pool holds of one blob transaction (EIP-7594, EIP-8070). An extended blob has 128
 * cells of 2048 bytes; the extension is systematic, so cells 0–63 are the blob itself and only
 * cells 64–127 need the KZG extension, computed on first use and kept. A transaction whose pool
 * got it with its blobs holds every cell; one that came without them (eth/72) holds the cells
 * added to it. Owned by the pool entry of its transaction.
 * @see https://eips.ethereum.org/EIPS/eip-7594
 * @see https://eips.ethereum.org/EIPS/eip-8070
 * @module
 */
import { CELL_BYTES, CELL_MASK_BYTES, CELLS_PER_BLOB } from '@ethp2p/eth/messages';

/** Cells of a blob before its extension (the blob itself). */
const BLOB_CELLS = CELLS_PER_BLOB / 2;

/** Computes the 128 cells of an extended blob from the blob (KZG). */
export type ExtendBlob = (blob: Uint8Array) => Uint8Array[];

/** The cell indices a mask selects, ascending. */
export function maskIndices(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < CELLS_PER_BLOB; i++) {
    if ((((mask[i >> 3] ?? 0) >> (i & 7)) & 1) === 1) out.push(i);
  }
  return out;
}

/** The cells of one blob transaction the pool holds, by cell index (one cell per blob each). */
export class BlobCells {
  readonly #blobs: readonly Uint8Array[] | undefined;
  readonly #count: number;
  readonly #extend: ExtendBlob;
  readonly #byIndex = new Map<number, readonly Uint8Array[]>();
  #unextendable = false;

  /**
   * @param count how many blobs the transaction has
   * @param blobs the blobs, when the pool has them (then every cell is held)
   */
  constructor(count: number, blobs: readonly Uint8Array[] | undefined, extend: ExtendBlob) {
    this.#count = count;
    this.#blobs = blobs !== undefined && blobs.length === count ? blobs : undefined;
    this.#extend = extend;
  }

  /** Bytes of cells held apart from the blobs (added, or extended). */
  get extraBytes(): number {
    return this.#byIndex.size * this.#count * CELL_BYTES;
  }

  /** The indices held for every blob, as a 16-byte mask. */
  mask(): Uint8Array {
    const mask = new Uint8Array(CELL_MASK_BYTES);
    if (this.#blobs !== undefined) {
      return this.#unextendable ? mask.fill(0xff, 0, CELL_MASK_BYTES / 2) : mask.fill(0xff);
    }
    for (const i of this.#byIndex.keys()) mask[i >> 3] = (mask[i >> 3] as number) | (1 << (i & 7));
    return mask;
  }

  /**
   * The cells `mask` selects, in Cells order (ascending index, then blob order), or `undefined`
   * unless every one is held.
   */
  cells(mask: Uint8Array): Uint8Array[] | undefined {
    const out: Uint8Array[] = [];
    for (const i of maskIndices(mask)) {
      const column = this.#column(i);
      if (column === undefined) return undefined;
      out.push(...column);
    }
    return out;
  }

  /**
   * Keeps cells given in Cells order for `mask`; false (nothing kept) unless there is one
   * 2048-byte cell per selected index and blob.
   */
  add(mask: Uint8Array, cells: readonly Uint8Array[]): boolean {
    const indices = maskIndices(mask);
    if (cells.length !== indices.length * this.#count) return false;
    if (cells.some((c) => !(c instanceof Uint8Array) || c.length !== CELL_BYTES)) return false;
    indices.forEach((index, k) => {
      if (this.#blobs !== undefined) return;
      const column = cells.slice(k * this.#count, (k + 1) * this.#count).map((c) => c.slice());
      this.#byIndex.set(index, column);
    });
    return true;
  }

  #column(index: number): readonly Uint8Array[] | undefined {
    const held = this.#byIndex.get(index);
    if (held !== undefined || this.#blobs === undefined) return held;
    if (index < BLOB_CELLS) {
      const at = index * CELL_BYTES;
      return this.#blobs.map((blob) => blob.subarray(at, at + CELL_BYTES));
    }
    // The extension: computed once for every upper index. Blobs that are not field elements
    // (a peer's) cannot be extended: their upper cells are not held.
    if (this.#unextendable) return undefined;
    let extended: Uint8Array[][];
    try {
      extended = this.#blobs.map((blob) => this.#extend(blob));
    } catch {
      this.#unextendable = true;
      return undefined;
    }
    for (let i = BLOB_CELLS; i < CELLS_PER_BLOB; i++) {
      this.#byIndex.set(
        i,
        extended.map((cells) => cells[i] as Uint8Array),
      );
    }
    return this.#byIndex.get(index);
  }
}
