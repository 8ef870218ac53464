/**
 * A chain that executes every block it imports and keeps it in a LevelDB store: headers, bodies,
 * receipts, the canonical index and the state trie. A restart resumes from the stored head
 * without re-importing anything.
 *
 * Reads are synchronous, as `ChainReader` requires: at open the canonical chain's headers,
 * bodies and receipts are loaded into memory, and every accepted block is added there after it is
 * written. The store is the truth, memory a complete copy of its canonical part (the sample node
 * serves test networks and chain.rlp files; a chain too large for memory is not its job). State
 * stays in the store, read through the trie's node cache.
 * @module
 */
import { readRoot } from '@ethp2p/base/rlp';
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
import { ChainError } from '@ethp2p/eth/chain';
import { blockFromItem, type DecodedBlock } from './block.ts';
import { CanonicalBlocks, type HeldBlock } from './canonical-blocks.ts';
import { checkLink, type ImportOptions, readChainFile } from './chain-file.ts';
import { decoding } from './decoding.ts';
import { BlockExecutor } from './exec/executor.ts';
import { StagedStateDb } from './exec/state-db.ts';
import { genesisBlock } from './genesis.ts';
import { decodeHeader, stateRootOf } from './header.ts';
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

interface StoredBlock extends HeldBlock {
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
export class PersistentChain
  extends CanonicalBlocks<StoredBlock>
  implements ChainReader, BlockImporter
{
  readonly config: ChainConfig;
  readonly #level: Level;
  readonly #stateDb: StagedStateDb;
  #executor: BlockExecutor | undefined;
  /** The import in progress; the next one starts after it. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(config: ChainConfig, level: Level, stateDb: StagedStateDb) {
    super();
    this.config = config;
    this.#level = level;
    this.#stateDb = stateDb;
  }

  /**
   * Opens the chain of `genesisJson` in the store at `path`: a new store gets the genesis block
   * and its state; an existing one is loaded up to its head.
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

  /** The receipts of every block the chain holds (it executed them all). */
  receiptsByHash(hash: Uint8Array): Uint8Array | undefined {
    return this.held(hash)?.receipts;
  }

  /**
   * Imports blocks in order on top of the head, executing each; a block the chain already has
   * as canonical is skipped. Each accepted block is written in one atomic batch (its state
   * changes, header, body, receipts, canonical index and the new head) before the next runs.
   * @returns the new head
   * @throws {ChainError} MALFORMED_BLOCK, UNLINKED_BLOCK (a block that does not extend the head;
   *   no reorganisations), INVALID_BLOCK (`details`: number, hash, field); the blocks before
   *   the failing one stay imported, nothing of it is written
   */
  async importBlocks(blocks: readonly Uint8Array[]): Promise<ChainHeader> {
    const decoded = blocks.map((rlp, i) => {
      const where = `block ${i}`;
      try {
        return { ...decoding(() => blockFromItem(readRoot(rlp, 'block'))), where, rlp };
      } catch (err) {
        if (!(err instanceof ChainError)) throw err;
        throw new ChainError(err.code, `${where}: ${err.message}`, { cause: err.cause });
      }
    });
    return this.#serial(async () => {
      for (const block of decoded) await this.#importOne(block);
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
      for (const block of blocks) await this.#importOne(block);
      return Number(this.head().number - before);
    });
  }

  /** Waits for the import in progress and closes the store; reads keep working from memory. */
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

  async #importOne(block: DecodedBlock & { readonly where: string; readonly rlp: Uint8Array }) {
    const known = this.headerByNumber(block.header.number);
    if (known !== undefined && equalBytes(known.hash, block.header.hash)) return;
    const parent = this.head();
    checkLink(block.where, parent, block.header);
    const executor = this.#executor as BlockExecutor;
    const receipts = await executor.execute(block.rlp, block.header, parent);
    const stored = { header: block.header, body: block.body, receipts };
    try {
      await this.#level.batch([...this.#stateDb.takeWrites(), ...blockWrites(stored)]);
    } catch (err) {
      await executor.reset(stateRootOf(parent));
      throw err;
    }
    this.append(stored);
  }

  async #load(genesis: DecodedBlock, genesisJson: Record<string, unknown>): Promise<void> {
    const hashAt = (n: bigint) => this.headerByNumber(n)?.hash;
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
      await this.#level.batch([...this.#stateDb.takeWrites(), ...blockWrites(stored)]);
      this.append(stored);
      this.#executor = executor;
      return;
    }
    for await (const hash of this.#level.values({
      gte: canonicalKey(0n),
      lte: canonicalKey((1n << 64n) - 1n),
    })) {
      this.append(await this.#read(hash));
      if (equalBytes(hash, headHash)) break;
    }
    if (!equalBytes(this.genesis()?.hash ?? new Uint8Array(0), genesis.header.hash)) {
      throw new RangeError('chain store: it holds the chain of another genesis');
    }
    const stateRoot = stateRootOf(this.head());
    this.#executor = await BlockExecutor.create({
      genesisJson,
      db: this.#stateDb,
      stateRoot,
      hashAt,
    });
  }

  async #read(hash: Uint8Array): Promise<StoredBlock> {
    const [header, body, receipts] = await this.#level.getMany([
      headerKey(hash),
      bodyKey(hash),
      receiptsKey(hash),
    ]);
    if (header === undefined || body === undefined || receipts === undefined) {
      throw new RangeError(`chain store: block ${bytesToHex(hash)} is incomplete`);
    }
    // classic-level gives Buffers: keep plain arrays, as every other source of bytes does.
    return {
      header: decodeHeader(Uint8Array.from(header)),
      body: Uint8Array.from(body),
      receipts: Uint8Array.from(receipts),
    };
  }
}

/** The writes that store a block as the new canonical head. */
function blockWrites({ header, body, receipts }: StoredBlock): LevelWrite[] {
  return [
    { type: 'put', key: headerKey(header.hash), value: header.rlp },
    { type: 'put', key: bodyKey(header.hash), value: body },
    { type: 'put', key: receiptsKey(header.hash), value: receipts },
    { type: 'put', key: canonicalKey(header.number), value: header.hash },
    { type: 'put', key: HEAD_KEY, value: header.hash },
  ];
}
