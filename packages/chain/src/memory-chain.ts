/**
 * An in-memory chain for the sample node and for tests: a genesis block plus the blocks of a
 * chain.rlp file, all canonical. It stores headers and bodies as RLP and serves them to the eth
 * protocol; it executes nothing, so it knows receipts only for blocks without transactions.
 * @module
 */

import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import {
  type BlockImporter,
  type ChainConfig,
  type ChainConfigFromGenesisOptions,
  type ChainHeader,
  type ChainReader,
  chainConfigFromGenesis,
  type Genesis,
} from '@ethp2p/eth';
import type { DecodedBlock } from './block.ts';
import { validateBlock } from './block-validation.ts';
import { CanonicalBlocks, type HeldBlock } from './canonical-blocks.ts';
import { type ImportOptions, readBlock, readChainFile } from './chain-file.ts';
import { EMPTY_ROOT_HASH } from './constants.ts';
import { genesisBlock } from './genesis.ts';
import { checkLink, linkedParent } from './linkage.ts';

/**
 * A canonical chain held in memory, implementing {@link ChainReader} and {@link BlockImporter}.
 * It is owned by its creator: `importRlp` changes it synchronously, and `importBlocks` (one call
 * at a time, queued) appends each block synchronously once it validated, so readers on the same
 * event loop always see a whole chain.
 * @example
 * const chain = await MemoryChain.fromGenesis(parseGenesisJson(genesisJsonText));
 * chain.importRlp(chainRlpBytes);
 * chain.head().number; // 600n for the eth test chain
 */
export class MemoryChain extends CanonicalBlocks<HeldBlock> implements ChainReader, BlockImporter {
  readonly config: ChainConfig;
  /** The last queued `importBlocks` (settled); the next one starts after it. */
  #importTail: Promise<unknown> = Promise.resolve();

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
    super();
    this.config = config;
    this.append(genesis);
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
    const pending: DecodedBlock[] = [];
    let tip = this.head();
    for (const block of readChainFile(data, options)) {
      if (pending.length === 0 && this.isCanonical(block.header)) continue;
      checkLink(block.where, tip, block.header);
      pending.push(block);
      tip = block.header;
    }
    for (const block of pending) this.append(block);
    return pending.length;
  }

  /**
   * Imports blocks received from peers, validating each structurally against its parent
   * (linkage, number, time, gas, extra data, transactions root, ommers hash, withdrawals root;
   * nothing is executed). Blocks the chain already has are skipped. A block extends the head or
   * any held block (a side branch); a side branch becomes canonical once one of its blocks is
   * higher than the head (post-merge there is no total difficulty: the chain follows the branch
   * its peers report as head), the canonical chain switching to it from the common ancestor.
   * Each block is taken once it validated, so on a failure the blocks before it stay imported.
   * Calls are queued: one runs at a time.
   * @returns the new head
   * @throws {ChainError} MALFORMED_BLOCK (not a block), BLOCK_TOO_LARGE, UNLINKED_BLOCK (an
   *   unknown parent, or a number that does not follow it), INVALID_BLOCK (with `details`)
   */
  importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader> {
    if (!Array.isArray(blocks)) return Promise.reject(new TypeError('blocks: expected an array'));
    const run = this.#importTail.then(() => this.#importBlocks(blocks));
    this.#importTail = run.catch(() => undefined);
    return run;
  }

  async #importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader> {
    for (const [index, raw] of blocks.entries()) {
      const block = readBlock(`block ${index}`, raw);
      const parent = linkedParent(block.where, block.header, (hash) => this.headerByHash(hash));
      if (parent === undefined) continue;
      await validateBlock(parent, block.header, block.body);
      // importRlp may have moved the head while the roots were computed.
      const head = this.head();
      if (equalBytes(parent.hash, head.hash)) this.append(block);
      else {
        this.keep(block);
        if (block.header.number > head.number) this.setHead(block);
      }
    }
    return this.head();
  }
}
