/**
 * An in-memory chain for the sample node and for tests: a genesis block plus the blocks of a
 * chain.rlp file, all canonical. It stores headers and bodies as RLP and serves them to the eth
 * protocol; it executes nothing, so it knows receipts only for blocks without transactions.
 * @module
 */

import { readItem } from '@ethp2p/base/rlp';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import {
  type ChainConfig,
  type ChainConfigFromGenesisOptions,
  type ChainHeader,
  type ChainReader,
  chainConfigFromGenesis,
  type Genesis,
} from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { blockFromItem, type DecodedBlock } from './block.ts';
import { EMPTY_ROOT_HASH } from './constants.ts';
import { decoding } from './decoding.ts';
import { genesisBlock } from './genesis.ts';

/** The largest block {@link MemoryChain.importRlp} accepts by default: 16 MiB, the RLPx frame limit. */
export const MAX_IMPORT_BLOCK_BYTES: number = 16 * 1024 * 1024;

/** Options of {@link MemoryChain.importRlp}. */
export interface ImportOptions {
  /** Refuse any block larger than this many bytes (default {@link MAX_IMPORT_BLOCK_BYTES}). */
  readonly maxBlockBytes?: number;
}

interface StoredBlock {
  readonly header: ChainHeader;
  readonly body: Uint8Array;
}

/**
 * A canonical chain held in memory, implementing {@link ChainReader}. It is owned by its creator:
 * `importRlp` changes it synchronously, so readers on the same event loop always see a whole
 * chain.
 * @example
 * const chain = await MemoryChain.fromGenesis(parseGenesisJson(genesisJsonText));
 * chain.importRlp(chainRlpBytes);
 * chain.head().number; // 600n for the eth test chain
 */
export class MemoryChain implements ChainReader {
  readonly config: ChainConfig;
  readonly #canonical: ChainHeader[] = [];
  readonly #blocks = new Map<string, StoredBlock>();

  /**
   * A chain that holds only its genesis block.
   * @throws {RangeError} when the block's number is not 0 or its hash is not
   *   `config.genesisHash`
   */
  constructor(config: ChainConfig, genesis: DecodedBlock) {
    if (genesis.header.number !== 0n) {
      throw new RangeError(`genesis: expected block number 0, got ${genesis.header.number}`);
    }
    if (!equalBytes(genesis.header.hash, config.genesisHash)) {
      throw new RangeError(
        `genesis: block hash ${bytesToHex(genesis.header.hash)} is not config.genesisHash`,
      );
    }
    this.config = config;
    this.#append(genesis);
  }

  /**
   * A chain holding the genesis block of `genesis` (state root computed from its `alloc`), with
   * the configuration {@link chainConfigFromGenesis} gives for it.
   */
  static async fromGenesis(
    genesis: Genesis,
    options: ChainConfigFromGenesisOptions = {},
  ): Promise<MemoryChain> {
    const block = await genesisBlock(genesis);
    return new MemoryChain(chainConfigFromGenesis(genesis, block.header.hash, options), block);
  }

  genesis(): ChainHeader {
    return this.#canonical[0] as ChainHeader;
  }

  head(): ChainHeader {
    return this.#canonical[this.#canonical.length - 1] as ChainHeader;
  }

  headerByHash(hash: Uint8Array): ChainHeader | undefined {
    return this.#blocks.get(bytesToHex(hash))?.header;
  }

  headerByNumber(number: bigint): ChainHeader | undefined {
    if (number < 0n || number >= BigInt(this.#canonical.length)) return undefined;
    return this.#canonical[Number(number)];
  }

  bodyByHash(hash: Uint8Array): Uint8Array | undefined {
    return this.#blocks.get(bytesToHex(hash))?.body;
  }

  /** The empty list for a block whose receipts root is the empty trie root; otherwise unknown. */
  receiptsByHash(hash: Uint8Array): Uint8Array | undefined {
    const header = this.headerByHash(hash);
    if (header === undefined || !equalBytes(header.receiptsRoot, EMPTY_ROOT_HASH)) return undefined;
    return Uint8Array.of(0xc0);
  }

  /**
   * Imports a chain.rlp: blocks as concatenated RLP items (`geth export` output). Blocks this
   * chain already has at the start of the file (such as the genesis block) are skipped; each
   * following block must extend the one before it. Nothing is imported unless every block is
   * valid.
   * @returns how many blocks were added
   * @throws {ChainError} MALFORMED_BLOCK (bad or truncated RLP, not a block), BLOCK_TOO_LARGE,
   *   UNLINKED_BLOCK (a parent hash or number that does not follow the previous block)
   */
  importRlp(data: Uint8Array, options: ImportOptions = {}): number {
    if (!(data instanceof Uint8Array)) throw new TypeError('data: expected Uint8Array');
    const maxBlockBytes = options.maxBlockBytes ?? MAX_IMPORT_BLOCK_BYTES;
    const pending: DecodedBlock[] = [];
    let tip = this.head();
    for (let pos = 0, index = 0; pos < data.length; index++) {
      const where = `block ${index} (byte ${pos})`;
      const item = guard(where, () => readItem(data, pos));
      pos += item.raw.length;
      if (item.raw.length > maxBlockBytes) {
        throw new ChainError(
          'BLOCK_TOO_LARGE',
          `${where}: ${item.raw.length} bytes, more than ${maxBlockBytes}`,
        );
      }
      const block = guard(where, () => blockFromItem(item));
      if (pending.length === 0 && this.#isCanonical(block.header)) continue;
      checkLink(where, tip, block.header);
      pending.push(block);
      tip = block.header;
    }
    for (const block of pending) this.#append(block);
    return pending.length;
  }

  #isCanonical(header: ChainHeader): boolean {
    const known = this.headerByNumber(header.number);
    return known !== undefined && equalBytes(known.hash, header.hash);
  }

  #append(block: DecodedBlock): void {
    this.#canonical.push(block.header);
    this.#blocks.set(bytesToHex(block.header.hash), { header: block.header, body: block.body });
  }
}

/** Runs a block reader: bad RLP or a bad block is ChainError MALFORMED_BLOCK, located at `where`. */
function guard<T>(where: string, read: () => T): T {
  try {
    return decoding(read);
  } catch (err) {
    if (err instanceof ChainError) {
      throw new ChainError(err.code, `${where}: ${err.message}`, { cause: err.cause });
    }
    throw err;
  }
}

function checkLink(where: string, parent: ChainHeader, header: ChainHeader): void {
  if (header.number !== parent.number + 1n) {
    throw new ChainError(
      'UNLINKED_BLOCK',
      `${where}: number ${header.number} does not follow ${parent.number}`,
    );
  }
  if (!equalBytes(header.parentHash, parent.hash)) {
    throw new ChainError(
      'UNLINKED_BLOCK',
      `${where}: parent hash ${bytesToHex(header.parentHash)} is not block ${parent.number}`,
    );
  }
}
