/**
 * Block execution with `@ethereumjs/vm`: the checks of a block against its parent, the
 * execution of its transactions on the parent's state, and the comparison of what execution
 * gives with what the header says (state root, receipts root, logs bloom, gas used, requests
 * hash). State lives in a Merkle-Patricia trie (`@ethereumjs/mpt`) on the chain's LevelDB, its
 * writes staged until the chain accepts the block.
 * @see https://github.com/ethereum/go-ethereum/blob/master/core/block_validator.go
 * @module
 */
import { type Block, createBlockFromRLP, createBlockHeaderFromRLP } from '@ethereumjs/block';
import {
  type Common,
  createCommonFromGethGenesis,
  type GethGenesis,
  parseGethGenesisState,
} from '@ethereumjs/common';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { ValueEncoding } from '@ethereumjs/util';
import { createVM, runBlock, type VM } from '@ethereumjs/vm';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { executionCrypto } from './crypto.ts';
import { encodeReceipts } from './receipts.ts';
import type { StagedStateDb } from './state-db.ts';

/** Trie nodes kept in memory by the state trie's database (each is at most ~532 bytes). */
const TRIE_CACHE_NODES = 50_000;

/** Options of {@link BlockExecutor.create}. */
export interface BlockExecutorOptions {
  /** The genesis.json object (geth format): fork schedule and allocation. */
  readonly genesisJson: Record<string, unknown>;
  /** Where the state trie lives. */
  readonly db: StagedStateDb;
  /** The state root to start from; none: the empty trie, for {@link BlockExecutor.writeGenesis}. */
  readonly stateRoot?: Uint8Array;
  /**
   * For BLOCKHASH: the hash of the block at `number` on the branch of `parent` (the ancestor
   * of `parent` at that height, or `parent` itself), which is not always the canonical one.
   */
  readonly hashAt: (number: bigint, parent: ChainHeader) => Uint8Array | undefined;
}

/**
 * The blockchain `@ethereumjs/vm` reads BLOCKHASH from: the hashes of the branch of the block
 * being executed.
 */
class BranchHashes {
  /** The parent of the block being executed. */
  parent: ChainHeader | undefined;
  readonly #hashAt: BlockExecutorOptions['hashAt'];

  constructor(hashAt: BlockExecutorOptions['hashAt']) {
    this.#hashAt = hashAt;
  }

  async getBlock(number: number): Promise<{ hash(): Uint8Array }> {
    const parent = this.parent;
    const hash = parent === undefined ? undefined : this.#hashAt(BigInt(number), parent);
    return { hash: () => hash ?? new Uint8Array(32) };
  }

  async putBlock(): Promise<void> {}

  shallowCopy(): this {
    return this;
  }
}

/** Executes blocks on the state of the chain's head. Owned by one chain; one block at a time. */
export class BlockExecutor {
  readonly #common: Common;
  readonly #state: MerkleStateManager;
  readonly #vm: VM;
  readonly #db: StagedStateDb;
  readonly #genesisJson: Record<string, unknown>;
  readonly #hashes: BranchHashes;

  private constructor(
    common: Common,
    state: MerkleStateManager,
    vm: VM,
    hashes: BranchHashes,
    options: BlockExecutorOptions,
  ) {
    this.#common = common;
    this.#hashes = hashes;
    this.#state = state;
    this.#vm = vm;
    this.#db = options.db;
    this.#genesisJson = options.genesisJson;
  }

  /** An executor on `options.stateRoot`. */
  static async create(options: BlockExecutorOptions): Promise<BlockExecutor> {
    const common = executionCommon(options.genesisJson);
    const trie = new MerklePatriciaTrie({
      db: options.db,
      useKeyHashing: true,
      valueEncoding: ValueEncoding.Bytes,
      cacheSize: TRIE_CACHE_NODES,
      common,
    });
    if (options.stateRoot !== undefined) trie.root(options.stateRoot);
    const state = new MerkleStateManager({ common, trie, caches: new Caches() });
    const blockchain = new BranchHashes(options.hashAt);
    const vm = await createVM({ common, stateManager: state, blockchain, setHardfork: true });
    return new BlockExecutor(common, state, vm, blockchain, options);
  }

  /** Writes the genesis allocation into the (empty) state; resolves to its state root. */
  async writeGenesis(): Promise<Uint8Array> {
    await this.#state.generateCanonicalGenesis(genesisState(this.#genesisJson));
    return this.#state.getStateRoot();
  }

  /**
   * Validates `rlp` (a block whose parent is `parent`, already decoded and linked by the
   * caller) and executes it. On success the state is the block's post-state, its trie writes
   * staged in the database; on failure the state is the parent's again and nothing is staged.
   * @returns the block's receipts, the RLP list of their eth/69 form
   * @throws {ChainError} INVALID_BLOCK with the number, hash and failing field
   */
  async execute(rlp: Uint8Array, header: ChainHeader, parent: ChainHeader): Promise<Uint8Array> {
    const fail = (field: string, message: string, cause?: unknown): ChainError =>
      new ChainError(
        'INVALID_BLOCK',
        `block ${header.number} (${bytesToHex(header.hash)}): ${field}: ${message}`,
        { cause, details: { number: header.number, hash: header.hash, field } },
      );
    const opts = { common: this.#common, setHardfork: true };
    let block: Block;
    let parentState: Uint8Array;
    try {
      block = createBlockFromRLP(rlp, opts);
      const parentHeader = createBlockHeaderFromRLP(parent.rlp, opts);
      parentState = parentHeader.stateRoot;
      await checkAgainstParent(block, parentHeader, fail);
    } catch (err) {
      throw err instanceof ChainError ? err : fail('block', String(err), err);
    }
    try {
      // The state is the parent's already (after the previous block, or a reset).
      this.#hashes.parent = parent;
      const result = await runBlock(this.#vm, {
        block,
        generate: true,
        skipBlockValidation: true,
      });
      const h = block.header;
      const mismatch = (field: string, got: Uint8Array | bigint, want: Uint8Array | bigint) =>
        fail(field, `execution gives ${show(got)}, the header says ${show(want)}`);
      if (!equalBytes(result.stateRoot, h.stateRoot)) {
        throw mismatch('stateRoot', result.stateRoot, h.stateRoot);
      }
      if (!equalBytes(result.receiptsRoot, h.receiptTrie)) {
        throw mismatch('receiptsRoot', result.receiptsRoot, h.receiptTrie);
      }
      if (!equalBytes(result.logsBloom, h.logsBloom)) {
        throw mismatch('logsBloom', result.logsBloom, h.logsBloom);
      }
      if (result.gasUsed !== h.gasUsed) throw mismatch('gasUsed', result.gasUsed, h.gasUsed);
      if (result.requestsHash !== undefined && h.requestsHash !== undefined) {
        if (!equalBytes(result.requestsHash, h.requestsHash)) {
          throw mismatch('requestsHash', result.requestsHash, h.requestsHash);
        }
      }
      return encodeReceipts(block.transactions, result.receipts);
    } catch (err) {
      await this.reset(parentState);
      throw err instanceof ChainError ? err : fail('execution', String(err), err);
    }
  }

  /** Drops staged writes and returns to the state at `stateRoot` (a known root). */
  async reset(stateRoot: Uint8Array): Promise<void> {
    this.#db.discard();
    await this.#state.setStateRoot(stateRoot, true);
  }
}

/**
 * The checks geth's header and body validators make that need the parent: time, gas limit,
 * base fee (EIP-1559), blob gas (EIP-4844); and those of the body against the header:
 * transactions root, ommers hash, withdrawals root, and each transaction on its own.
 */
async function checkAgainstParent(
  block: Block,
  parent: Block['header'],
  fail: (field: string, message: string, cause?: unknown) => ChainError,
): Promise<void> {
  const h = block.header;
  if (h.timestamp <= parent.timestamp) {
    throw fail('timestamp', `${h.timestamp} is not after the parent's ${parent.timestamp}`);
  }
  try {
    h.validateGasLimit(parent);
  } catch (err) {
    throw fail('gasLimit', String(err), err);
  }
  if (h.common.isActivatedEIP(1559) && parent.common.isActivatedEIP(1559)) {
    const want = parent.calcNextBaseFee();
    if (h.baseFeePerGas !== want) {
      throw fail('baseFeePerGas', `${h.baseFeePerGas}, expected ${want}`);
    }
  }
  if (!(await block.transactionsTrieIsValid())) {
    throw fail('transactionsRoot', 'does not match the transactions');
  }
  if (!block.uncleHashIsValid()) throw fail('ommersHash', 'does not match the ommers');
  if (h.common.isActivatedEIP(4895) && !(await block.withdrawalsTrieIsValid())) {
    throw fail('withdrawalsRoot', 'does not match the withdrawals');
  }
  const txErrors = block.getTransactionsValidationErrors();
  if (txErrors.length > 0) throw fail('transactions', txErrors.join('; '));
  try {
    block.validateBlobTransactions(parent);
  } catch (err) {
    throw fail('blobGas', String(err), err);
  }
}

/**
 * The `Common` (fork schedule and cryptography) blocks of `genesisJson` execute with; the
 * hardfork follows each block (`setHardfork`).
 */
export function executionCommon(genesisJson: Record<string, unknown>): Common {
  return createCommonFromGethGenesis(asGethGenesis(genesisJson), {
    chain: 'ethp2p',
    customCrypto: executionCrypto(),
  });
}

/** The genesis allocation of `genesisJson` as `@ethereumjs/statemanager` takes it. */
export function genesisState(
  genesisJson: Record<string, unknown>,
): ReturnType<typeof parseGethGenesisState> {
  return parseGethGenesisState(asGethGenesis(genesisJson));
}

/**
 * A genesis.json as `@ethereumjs/common` takes it: geth treats a missing `nonce` as 0, which
 * that library requires to be present.
 */
function asGethGenesis(json: Record<string, unknown>): GethGenesis {
  return { nonce: '0x0', ...json } as unknown as GethGenesis;
}

function show(value: Uint8Array | bigint): string {
  return typeof value === 'bigint' ? String(value) : bytesToHex(value);
}
