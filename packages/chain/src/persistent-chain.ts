/**
 * A chain that executes every block it imports and keeps it in a LevelDB store: headers, bodies,
 * receipts, the canonical index and the state trie. A restart resumes from the stored head
 * without re-importing anything.
 *
 * Reads are synchronous, as `ChainReader` requires: they read the store with `getSync` behind
 * bounded LRU caches (headers by hash, canonical hashes by number, bodies and receipts by bytes),
 * so memory stays flat whatever the chain's length, and opening a store reads a few records (the
 * head and the genesis), never the whole chain. State stays in the store, read through the
 * trie's node cache.
 *
 * Blocks may extend any stored block (a side branch): each is executed on its parent's state and
 * stored. The canonical chain switches to a branch when one of its blocks is higher than the
 * head (post-merge there is no total difficulty: the node follows the branch its peers report as
 * their head, as a node without a consensus client would), rewriting the canonical index from
 * the common ancestor up; the old branch's blocks stay stored, as side blocks.
 * @module
 */
import { setImmediate } from 'node:timers/promises';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import {
  type BlockImporter,
  type ChainConfig,
  type ChainConfigFromGenesisOptions,
  type ChainHeader,
  type ChainReader,
  chainConfigFromGenesis,
  readGenesis,
} from '@ethp2p/eth';
import { LRUCache } from 'lru-cache';
import type { DecodedBlock } from './block.ts';
import { type FileBlock, type ImportOptions, readBlock, readChainFile } from './chain-file.ts';
import { BlockExecutor } from './exec/executor.ts';
import { StagedStateDb } from './exec/state-db.ts';
import { genesisBlock } from './genesis.ts';
import { decodeHeader, stateRootOf } from './header.ts';
import { linkedParent, sideBranch } from './linkage.ts';
import {
  bodyKey,
  canonicalKey,
  createLevel,
  HEAD_KEY,
  headerKey,
  type Level,
  type LevelWrite,
  receiptsKey,
} from './store/level.ts';

/** No hash (a number without a canonical block). */
const NONE = new Uint8Array(0);

/** The receipts of a block without transactions: the empty list. */
const NO_RECEIPTS = Uint8Array.of(0xc0);

/** Options of {@link PersistentChain.open}. */
export interface PersistentChainOptions {
  /** The genesis.json object (geth format), as `JSON.parse` gives it. */
  readonly genesisJson: Record<string, unknown>;
  /** The directory of the LevelDB store (created if missing); none: an in-memory store. */
  readonly path?: string;
  /** Passed to `chainConfigFromGenesis` (e.g. another network ID). */
  readonly config?: ChainConfigFromGenesisOptions;
}

/** Headers kept decoded in memory, at most (by hash; and as many canonical hashes by number). */
const HEADER_CACHE = 4096;

/** Bytes of bodies and receipts kept in memory, at most. */
const BLOCK_DATA_CACHE_BYTES = 32 * 1024 * 1024;

/** A block as the chain stores it. */
interface StoredBlock {
  readonly header: ChainHeader;
  /** The RLP of `[transactions, ommers, withdrawals?]`. */
  readonly body: Uint8Array;
  /** The receipts, the RLP list of their eth/69 form. */
  readonly receipts: Uint8Array;
}

/**
 * A persistent, executing chain: a {@link ChainReader} for the eth protocol and a
 * {@link BlockImporter} for a syncer. Imports run one at a time, in call order; the chain is
 * owned by its creator, who closes it.
 * @example
 * const chain = await PersistentChain.open({ genesisJson, path: `${datadir}/chaindata` });
 * await chain.importRlp(chainRlpBytes); // executes each block
 * chain.receiptsByHash(chain.head().hash); // its receipts, eth/69 form
 * await chain.close();
 */
export class PersistentChain implements ChainReader, BlockImporter {
  readonly config: ChainConfig;
  readonly #level: Level;
  readonly #stateDb: StagedStateDb;
  #executor: BlockExecutor | undefined;
  /** The import in progress; the next one starts after it. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #genesis: ChainHeader | undefined;
  #head: ChainHeader | undefined;
  /** The block whose post-state the executor holds. */
  #stateAt: ChainHeader | undefined;
  readonly #headers = new LRUCache<string, ChainHeader>({ max: HEADER_CACHE });
  /** Canonical hashes by block number (decimal). */
  readonly #canonical = new LRUCache<string, Uint8Array>({ max: HEADER_CACHE });
  /** Bodies (`b` + hash) and receipts (`r` + hash). */
  readonly #data = new LRUCache<string, Uint8Array>({
    maxSize: BLOCK_DATA_CACHE_BYTES,
    sizeCalculation: (value) => Math.max(1, value.length),
  });
  #reads = 0;

  private constructor(config: ChainConfig, level: Level, stateDb: StagedStateDb) {
    this.config = config;
    this.#level = level;
    this.#stateDb = stateDb;
  }

  /**
   * Opens the chain of `genesisJson` in the store at `path`: a new store gets the genesis block
   * and its state; an existing one resumes at its head (reading the head and the genesis only).
   * @throws {EthError} INVALID_GENESIS for a bad genesis.json
   * @throws {RangeError} when the store holds the chain of another genesis, or the genesis
   *   state root computed by execution differs from the genesis header's
   * @throws the store's error when it cannot be opened (e.g. LEVEL_LOCKED: in use)
   */
  static async open(options: PersistentChainOptions): Promise<PersistentChain> {
    const genesis = readGenesis(options.genesisJson);
    const block = await genesisBlock(genesis);
    const config = chainConfigFromGenesis(genesis, block.header.hash, options.config);
    const level = createLevel(options.path);
    await level.open();
    const chain = new PersistentChain(config, level, new StagedStateDb(level));
    try {
      await chain.#load(block, options.genesisJson);
    } catch (err) {
      await level.close();
      throw err;
    }
    return chain;
  }

  /** Records (headers, bodies, receipts, canonical hashes) read from the store since open. */
  get storeReads(): number {
    return this.#reads;
  }

  genesis(): ChainHeader {
    return this.#genesis as ChainHeader;
  }

  head(): ChainHeader {
    return this.#head as ChainHeader;
  }

  /** Any stored header, canonical or on a side branch. */
  headerByHash(hash: Uint8Array): ChainHeader | undefined {
    const key = bytesToHex(hash);
    const cached = this.#headers.get(key);
    if (cached !== undefined) return cached;
    const rlp = this.#get(headerKey(hash));
    if (rlp === undefined) return undefined;
    const header = decodeHeader(rlp);
    this.#headers.set(key, header);
    return header;
  }

  headerByNumber(number: bigint): ChainHeader | undefined {
    const head = this.head();
    if (number < 0n || number > head.number) return undefined;
    if (number === head.number) return head;
    const hash = this.#canonicalHash(number);
    return hash === undefined ? undefined : this.headerByHash(hash);
  }

  bodyByHash(hash: Uint8Array): Uint8Array | undefined {
    return this.#cachedData('b', bodyKey(hash), hash);
  }

  /** The receipts of every block the chain holds (it executed them all). */
  receiptsByHash(hash: Uint8Array): Uint8Array | undefined {
    return this.#cachedData('r', receiptsKey(hash), hash);
  }

  /**
   * Imports blocks in order, executing each on its parent's state; a block the chain already
   * has is skipped. A block extends the head, or a stored block (a side branch, which becomes
   * canonical once it is higher than the head). Each accepted block is written in one atomic
   * batch (its state changes, header, body, receipts, and the canonical index and head it
   * changes) before the next runs.
   * @returns the new head
   * @throws {ChainError} MALFORMED_BLOCK, BLOCK_TOO_LARGE (over 16 MiB),
   *   UNLINKED_BLOCK (an unknown parent, or a number that
   *   does not follow it), INVALID_BLOCK (`details`: number, hash, field); the blocks before the
   *   failing one stay imported, nothing of it is written
   */
  async importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader> {
    const decoded = blocks.map((rlp, i) => readBlock(`block ${i}`, rlp));
    return this.#serial(async () => {
      await this.#importAll(decoded);
      return this.head();
    });
  }

  /**
   * Imports a chain.rlp (`geth export` output), block by block as {@link importBlocks} does;
   * leading blocks the chain already has (the genesis block) are skipped.
   * @returns how many blocks were added
   * @throws {ChainError} as {@link importBlocks}, and BLOCK_TOO_LARGE; the whole file is read
   *   and decoded before the first block is executed
   */
  async importRlp(data: Uint8Array, options: ImportOptions = {}): Promise<number> {
    const blocks = readChainFile(data, options);
    return this.#serial(async () => {
      const before = this.head().number;
      await this.#importAll(blocks);
      return Number(this.head().number - before);
    });
  }

  /**
   * Waits for the import in progress and closes the store; reads then give the head, the
   * genesis and what is cached, and `undefined` for the rest.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => {});
    await this.#level.close();
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('chain: closed'));
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** One record of the store, or undefined (missing, or the store closed). */
  #get(key: Uint8Array): Uint8Array | undefined {
    if (this.#closed || this.#level.status !== 'open') return undefined;
    this.#reads++;
    const value = this.#level.getSync(key);
    // classic-level gives Buffers: keep plain arrays, as every other source of bytes does.
    return value === undefined ? undefined : Uint8Array.from(value);
  }

  #cachedData(table: string, key: Uint8Array, hash: Uint8Array): Uint8Array | undefined {
    const id = table + bytesToHex(hash);
    const cached = this.#data.get(id);
    if (cached !== undefined) return cached;
    const value = this.#get(key);
    if (value !== undefined) this.#data.set(id, value);
    return value;
  }

  #canonicalHash(number: bigint): Uint8Array | undefined {
    const id = number.toString();
    const cached = this.#canonical.get(id);
    if (cached !== undefined) return cached;
    const hash = this.#get(canonicalKey(number));
    if (hash !== undefined) this.#canonical.set(id, hash);
    return hash;
  }

  /**
   * Imports blocks one by one, giving the event loop a turn after each: executing a batch can
   * take seconds, and the node's peers (their responses, their requests, its timers) must not
   * wait for all of it.
   */
  async #importAll(blocks: readonly FileBlock[]): Promise<void> {
    for (const block of blocks) {
      await this.#importOne(block);
      await setImmediate();
    }
  }

  async #importOne(block: FileBlock) {
    const { header } = block;
    const parent = linkedParent(block.where, header, (hash) => this.headerByHash(hash));
    if (parent === undefined) return;
    const executor = this.#executor as BlockExecutor;
    const stateAt = this.#stateAt as ChainHeader;
    if (!equalBytes(stateAt.hash, parent.hash)) {
      await executor.reset(stateRootOf(parent));
      this.#stateAt = parent;
    }
    const receipts = await executor.execute(block.rlp, header, parent);
    const head = this.head();
    const extendsHead = equalBytes(parent.hash, head.hash);
    // A side branch becomes canonical once it is higher than the head.
    const canonical = extendsHead || header.number > head.number;
    const stored = { header, body: block.body, receipts };
    const writes = [...this.#stateDb.takeWrites(), ...blockWrites(stored)];
    const branch =
      canonical && !extendsHead
        ? sideBranch(
            parent,
            (hash) => this.headerByHash(hash),
            (h) => this.#isCanonical(h),
          )
        : [];
    if (canonical) {
      for (const h of [...branch, header]) {
        writes.push({ type: 'put', key: canonicalKey(h.number), value: h.hash });
      }
      writes.push({ type: 'put', key: HEAD_KEY, value: header.hash });
    }
    try {
      await this.#level.batch(writes);
    } catch (err) {
      await executor.reset(stateRootOf(parent));
      this.#stateAt = parent;
      throw err;
    }
    this.#stateAt = header;
    this.#headers.set(bytesToHex(header.hash), header);
    if (!canonical) return;
    if (branch.length > 0) this.#canonical.clear();
    this.#canonical.set(header.number.toString(), header.hash);
    this.#head = header;
  }

  /** The hash of the block at `number` on the branch of `from` (BLOCKHASH on a side branch). */
  #hashAt(number: bigint, from: ChainHeader): Uint8Array | undefined {
    let at: ChainHeader | undefined = from;
    while (at !== undefined && at.number > number && !this.#isCanonical(at)) {
      at = this.headerByHash(at.parentHash);
    }
    if (at === undefined || at.number < number) return undefined;
    return at.number === number ? at.hash : this.#canonicalHash(number);
  }

  #isCanonical(header: ChainHeader): boolean {
    return equalBytes(this.#canonicalHash(header.number) ?? NONE, header.hash);
  }

  async #load(genesis: DecodedBlock, genesisJson: Record<string, unknown>): Promise<void> {
    const hashAt = (n: bigint, parent: ChainHeader) => this.#hashAt(n, parent);
    const headHash = await this.#level.get(HEAD_KEY);
    if (headHash === undefined) {
      const executor = await BlockExecutor.create({ genesisJson, db: this.#stateDb, hashAt });
      const root = await executor.writeGenesis();
      const want = stateRootOf(genesis.header);
      if (!equalBytes(root, want)) {
        throw new RangeError(
          `genesis: state root ${bytesToHex(root)} from execution, ${bytesToHex(want)} in the header`,
        );
      }
      const stored = { header: genesis.header, body: genesis.body, receipts: NO_RECEIPTS };
      await this.#level.batch([
        ...this.#stateDb.takeWrites(),
        ...blockWrites(stored),
        { type: 'put', key: canonicalKey(0n), value: genesis.header.hash },
        { type: 'put', key: HEAD_KEY, value: genesis.header.hash },
      ]);
      this.#genesis = this.#head = this.#stateAt = genesis.header;
      this.#executor = executor;
      return;
    }
    const storedGenesis = this.#canonicalHash(0n);
    if (storedGenesis === undefined || !equalBytes(storedGenesis, genesis.header.hash)) {
      throw new RangeError('chain store: it holds the chain of another genesis');
    }
    const head = this.headerByHash(headHash);
    if (head === undefined) {
      throw new RangeError(`chain store: head block ${bytesToHex(headHash)} is missing`);
    }
    this.#genesis = genesis.header;
    this.#head = this.#stateAt = head;
    this.#executor = await BlockExecutor.create({
      genesisJson,
      db: this.#stateDb,
      stateRoot: stateRootOf(head),
      hashAt,
    });
  }
}

/** The writes that store a block (header, body, receipts), canonical or not. */
function blockWrites({ header, body, receipts }: StoredBlock): LevelWrite[] {
  return [
    { type: 'put', key: headerKey(header.hash), value: header.rlp },
    { type: 'put', key: bodyKey(header.hash), value: body },
    { type: 'put', key: receiptsKey(header.hash), value: receipts },
  ];
}
