/**
 * chain.rlp files (`geth export` output): blocks as concatenated RLP items, each read, checked
 * against a size limit and split into header and body.
 * @module
 */
import { readItem, readRoot } from '@ethp2p/base/rlp';
import { ChainError } from '@ethp2p/eth/chain';
import { blockFromItem, type DecodedBlock } from './block.ts';
import { decoding } from './decoding.ts';

/** The largest block a chain imports by default: 16 MiB, the RLPx frame limit. */
export const MAX_IMPORT_BLOCK_BYTES: number = 16 * 1024 * 1024;

/** Options of a chain.rlp import. */
export interface ImportOptions {
  /** Refuse any block larger than this many bytes (default {@link MAX_IMPORT_BLOCK_BYTES}). */
  readonly maxBlockBytes?: number;
}

/** One block of a chain.rlp or of an `importBlocks` batch. */
export interface FileBlock extends DecodedBlock {
  /** Where it is, for messages: `block <index>`, and in a file ` (byte <offset>)`. */
  readonly where: string;
  /** The block's RLP. */
  readonly rlp: Uint8Array;
}

/**
 * Reads every block of a chain.rlp.
 * @throws {ChainError} MALFORMED_BLOCK (bad or truncated RLP, not a block), BLOCK_TOO_LARGE
 */
export function readChainFile(data: Uint8Array, options: ImportOptions = {}): FileBlock[] {
  if (!(data instanceof Uint8Array)) throw new TypeError('data: expected Uint8Array');
  const maxBlockBytes = options.maxBlockBytes ?? MAX_IMPORT_BLOCK_BYTES;
  const blocks: FileBlock[] = [];
  for (let pos = 0, index = 0; pos < data.length; index++) {
    const where = `block ${index} (byte ${pos})`;
    const item = located(where, () => readItem(data, pos));
    pos += item.raw.length;
    blocks.push(readBlock(where, item.raw, maxBlockBytes));
  }
  return blocks;
}

/** Runs a block reader: a ChainError it throws is located at `where`. */
export function located<T>(where: string, read: () => T): T {
  try {
    return decoding(read);
  } catch (err) {
    if (err instanceof ChainError) {
      throw new ChainError(err.code, `${where}: ${err.message}`, { cause: err.cause });
    }
    throw err;
  }
}

/**
 * Reads one block received as RLP (from a peer, or a caller of `importBlocks`).
 * @throws {ChainError} BLOCK_TOO_LARGE (checked before decoding), MALFORMED_BLOCK; located at
 *   `where`
 */
export function readBlock(
  where: string,
  rlp: Uint8Array,
  maxBlockBytes: number = MAX_IMPORT_BLOCK_BYTES,
): FileBlock {
  if (rlp.length > maxBlockBytes) {
    throw new ChainError(
      'BLOCK_TOO_LARGE',
      `${where}: ${rlp.length} bytes, more than ${maxBlockBytes}`,
    );
  }
  return { ...located(where, () => blockFromItem(readRoot(rlp, 'block'))), where, rlp };
}
