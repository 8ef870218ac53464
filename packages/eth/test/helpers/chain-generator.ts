/**
 * A small chain generator for tests: a genesis.json with a few accounts and N blocks after it as
 * a chain.rlp, so tests build their own chain instead of reading a shared file. Headers and the
 * genesis state root are built on a path independent of src/chain (`@ethereumjs/rlp`,
 * `@ethereumjs/mpt`'s `genesisMPTStateRoot`), which lets tests check one against the other.
 * Nothing is executed: state roots never change, transactions are opaque signed-looking legacy
 * transactions, and the receipts root of a block with transactions is a placeholder.
 * @module
 */

import { genesisMPTStateRoot, MerklePatriciaTrie } from '@ethereumjs/mpt';
import { type Input, RLP } from '@ethereumjs/rlp';
import { bytesToHex, concatBytes, keccak256 } from '@ethp2p/crypto';
import type { Genesis } from '../../src/chain-config/genesis.ts';
import { readGenesis } from '../../src/chain-config/genesis.ts';

/** The newest fork active from genesis; every earlier fork is active too. */
export type GeneratedFork = 'london' | 'shanghai' | 'cancun' | 'prague';

/** Options of {@link generateChain}. */
export interface ChainGeneratorOptions {
  /** Blocks after genesis (default 64). */
  readonly blocks?: number;
  /** Fork rules of every block (default `prague`). */
  readonly fork?: GeneratedFork;
  /** Every n-th block (1, 1 + n, ...) carries transactions; 0 for none (default 3). */
  readonly txEvery?: number;
  /** Transactions in a block that has any (default 2). */
  readonly txsPerBlock?: number;
  /** Extra bytes in each block's extraData, to make headers larger (default 0). */
  readonly extraDataBytes?: number;
  /** Chain and network ID (default 1337). */
  readonly chainId?: number;
}

/** A generated chain: its genesis in three forms and its blocks. */
export interface GeneratedChain {
  /** The genesis.json object (geth format). */
  readonly genesisJson: Record<string, unknown>;
  /** `readGenesis(genesisJson)`. */
  readonly genesis: Genesis;
  /** The genesis state root computed by `@ethereumjs/mpt`. */
  readonly stateRoot: Uint8Array;
  /** Header RLP by block number, genesis included. */
  readonly headers: readonly Uint8Array[];
  /** Header hashes by block number, genesis included. */
  readonly hashes: readonly Uint8Array[];
  /** Body RLP (`[txs, ommers, withdrawals?]`) by block number, genesis included. */
  readonly bodies: readonly Uint8Array[];
  /** Transactions by block number (canonical encodings), genesis included (none). */
  readonly txs: readonly (readonly Uint8Array[])[];
  /** Block RLP of blocks 1..N. */
  readonly blocks: readonly Uint8Array[];
  /** The blocks 1..N concatenated, as `geth export` writes a chain.rlp. */
  readonly chainRlp: Uint8Array;
}

/** A transaction as an RLP input list. */
type Tx = Input[];

const FORK_ORDER: readonly GeneratedFork[] = ['london', 'shanghai', 'cancun', 'prague'];
const GENESIS_TIME = 1_700_000_000;
const BLOCK_TIME = 12;
const EMPTY_ROOT = keccak256(RLP.encode(new Uint8Array(0)));
const EMPTY_UNCLES = keccak256(RLP.encode([]));
const EMPTY_REQUESTS = Uint8Array.from(
  Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'),
);

/** The genesis.json of a generated chain: a few funded accounts, one contract with storage. */
export function generatedGenesisJson(fork: GeneratedFork, chainId = 1337): Record<string, unknown> {
  const active = (f: GeneratedFork) => FORK_ORDER.indexOf(f) <= FORK_ORDER.indexOf(fork);
  const config: Record<string, unknown> = { chainId };
  for (const name of [
    'homesteadBlock',
    'eip150Block',
    'eip155Block',
    'eip158Block',
    'byzantiumBlock',
    'constantinopleBlock',
    'petersburgBlock',
    'istanbulBlock',
    'berlinBlock',
    'londonBlock',
  ]) {
    config[name] = 0;
  }
  config.terminalTotalDifficulty = 0;
  if (active('shanghai')) config.shanghaiTime = 0;
  if (active('cancun')) config.cancunTime = 0;
  if (active('prague')) config.pragueTime = 0;
  // A fork after genesis, so the fork ID has a `next`.
  if (fork === 'prague') config.osakaTime = GENESIS_TIME + 1_000_000;
  return {
    config,
    nonce: '0x0',
    timestamp: `0x${GENESIS_TIME.toString(16)}`,
    extraData: '0x657468703270',
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    mixHash: `0x${'00'.repeat(32)}`,
    coinbase: `0x${'00'.repeat(20)}`,
    alloc: {
      '0x00000000000000000000000000000000000000aa': { balance: '0xde0b6b3a7640000' },
      '00000000000000000000000000000000000000bb': { balance: '1000', nonce: '0x5' },
      '0x00000000000000000000000000000000000000cc': {
        balance: '0x0',
        code: '0x6001600055',
        storage: {
          '0x0000000000000000000000000000000000000000000000000000000000000001': '0x2a',
          '0x02': '0x0000000000000000000000000000000000000000000000000000000000000100',
        },
      },
      '0x00000000000000000000000000000000000000dd': { balance: '0x0' },
    },
  };
}

/**
 * Generates a chain: a genesis with {@link generatedGenesisJson} and `blocks` blocks after it,
 * 12 s apart, linked by parent hash, with the header fields of `fork`.
 */
export async function generateChain(options: ChainGeneratorOptions = {}): Promise<GeneratedChain> {
  const count = options.blocks ?? 64;
  const fork = options.fork ?? 'prague';
  const txEvery = options.txEvery ?? 3;
  const txsPerBlock = options.txsPerBlock ?? 2;
  const genesisJson = generatedGenesisJson(fork, options.chainId ?? 1337);
  const genesis = readGenesis(genesisJson);
  const stateRoot = await independentStateRoot(genesis);
  const genesisHeader = independentGenesisHeader(genesis, fork, stateRoot);
  const withdrawals = FORK_ORDER.indexOf(fork) >= 1;
  const emptyBody = RLP.encode(withdrawals ? [[], [], []] : [[], []]);
  const headers = [genesisHeader];
  const hashes = [keccak256(genesisHeader)];
  const bodies = [emptyBody];
  const txs: Uint8Array[][] = [[]];
  const blocks: Uint8Array[] = [];
  for (let n = 1; n <= count; n++) {
    const blockTxs = txEvery > 0 && (n - 1) % txEvery === 0 ? makeTxs(n, txsPerBlock) : [];
    const fields = await blockHeaderFields({
      fork,
      number: n,
      parentHash: hashes[n - 1] as Uint8Array,
      stateRoot,
      txs: blockTxs,
      extraData: new Uint8Array(options.extraDataBytes ?? 0).fill(n & 0xff),
    });
    const header = RLP.encode(fields);
    const bodyItems = withdrawals ? [blockTxs, [], []] : [blockTxs, []];
    headers.push(header);
    hashes.push(keccak256(header));
    bodies.push(RLP.encode(bodyItems));
    txs.push(blockTxs.map((tx) => RLP.encode(tx)));
    blocks.push(RLP.encode([RLP.decode(header) as Uint8Array[], ...bodyItems]));
  }
  return {
    genesisJson,
    genesis,
    stateRoot,
    headers,
    hashes,
    bodies,
    txs,
    blocks,
    chainRlp: concatBytes(...blocks),
  };
}

/** The state root of a genesis by `@ethereumjs/mpt` alone (zero storage values left out). */
export async function independentStateRoot(genesis: Genesis): Promise<Uint8Array> {
  const state: Record<string, [string, string, [string, string][], string]> = {};
  for (const account of genesis.alloc.values()) {
    const storage: [string, string][] = [];
    for (const [slot, value] of account.storage) {
      if (value.some((b) => b !== 0)) storage.push([slot, `0x${bytesToHex(value)}`]);
    }
    state[`0x${bytesToHex(account.address)}`] = [
      `0x${account.balance.toString(16)}`,
      `0x${bytesToHex(account.code)}`,
      storage,
      `0x${account.nonce.toString(16)}`,
    ];
  }
  return genesisMPTStateRoot(state as Parameters<typeof genesisMPTStateRoot>[0]);
}

/**
 * The genesis header RLP of a generated genesis, built by hand: London base fee 1 gwei,
 * Shanghai withdrawals root, Cancun blob fields and zero beacon root, Prague requests hash.
 */
export function independentGenesisHeader(
  genesis: Genesis,
  fork: GeneratedFork,
  stateRoot: Uint8Array,
): Uint8Array {
  const at = (f: GeneratedFork) => FORK_ORDER.indexOf(f) <= FORK_ORDER.indexOf(fork);
  const nonce = new Uint8Array(8);
  new DataView(nonce.buffer).setBigUint64(0, genesis.nonce);
  const fields: (Uint8Array | bigint)[] = [
    genesis.parentHash,
    EMPTY_UNCLES,
    genesis.coinbase,
    stateRoot,
    EMPTY_ROOT,
    EMPTY_ROOT,
    new Uint8Array(256),
    genesis.difficulty,
    genesis.number,
    genesis.gasLimit,
    genesis.gasUsed,
    genesis.timestamp,
    genesis.extraData,
    genesis.mixHash,
    nonce,
    genesis.baseFeePerGas ?? 1_000_000_000n,
  ];
  if (at('shanghai')) fields.push(EMPTY_ROOT);
  if (at('cancun')) fields.push(0n, 0n, new Uint8Array(32));
  if (at('prague')) fields.push(EMPTY_REQUESTS);
  return RLP.encode(fields);
}

interface BlockSpec {
  readonly fork: GeneratedFork;
  readonly number: number;
  readonly parentHash: Uint8Array;
  readonly stateRoot: Uint8Array;
  readonly txs: readonly Tx[];
  readonly extraData: Uint8Array;
}

async function blockHeaderFields(spec: BlockSpec): Promise<(Uint8Array | bigint)[]> {
  const at = (f: GeneratedFork) => FORK_ORDER.indexOf(f) <= FORK_ORDER.indexOf(spec.fork);
  const n = BigInt(spec.number);
  const hasTxs = spec.txs.length > 0;
  const fields: (Uint8Array | bigint)[] = [
    spec.parentHash,
    EMPTY_UNCLES,
    new Uint8Array(20),
    spec.stateRoot,
    hasTxs ? await txRoot(spec.txs) : EMPTY_ROOT,
    // Without execution there are no real receipts: a placeholder root marks them unknown.
    hasTxs ? keccak256(RLP.encode(['receipts', n])) : EMPTY_ROOT,
    new Uint8Array(256),
    0n,
    n,
    30_000_000n,
    BigInt(21_000 * spec.txs.length),
    BigInt(GENESIS_TIME + BLOCK_TIME * spec.number),
    spec.extraData,
    keccak256(RLP.encode(['randao', n])),
    new Uint8Array(8),
    7n,
  ];
  if (at('shanghai')) fields.push(EMPTY_ROOT);
  if (at('cancun')) fields.push(0n, 0n, keccak256(RLP.encode(['beacon', n])));
  if (at('prague')) fields.push(EMPTY_REQUESTS);
  return fields;
}

/** Legacy transactions `[nonce, gasPrice, gas, to, value, data, v, r, s]` with a fake signature. */
function makeTxs(block: number, count: number): Tx[] {
  const to = Uint8Array.from(Buffer.from('00000000000000000000000000000000000000bb', 'hex'));
  const out: Tx[] = [];
  for (let i = 0; i < count; i++) {
    const nonce = BigInt(block * 16 + i);
    const r = keccak256(RLP.encode(['r', nonce]));
    const s = keccak256(RLP.encode(['s', nonce]));
    out.push([nonce, 1_000_000_000n, 21_000n, to, BigInt(block), new Uint8Array(0), 27n, r, s]);
  }
  return out;
}

/** The transactions trie root: key rlp(index), value the transaction's encoding. */
async function txRoot(txs: readonly Tx[]): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie();
  for (const [i, tx] of txs.entries()) await trie.put(RLP.encode(i), RLP.encode(tx));
  return trie.root();
}
