/**
 * The chain a soak serves and requests: a private proof-of-stake genesis and empty blocks on top
 * of it, built the same way in every process so the node and its peers agree on every hash.
 * @module
 */
import { decodeRlp, encodeRlp, type RlpDecoded } from '@ethp2p/base/rlp';
import { MemoryChain } from '@ethp2p/chain';
import { type ChainHeader, parseGenesisJson } from '@ethp2p/eth';

/** The soak network's chain ID and network ID (not a public network's). */
export const SOAK_CHAIN_ID = 7357;

/** The block-numbered forks, all at genesis. */
const BLOCK_FORKS = [
  'homestead',
  'eip150',
  'eip155',
  'eip158',
  'byzantium',
  'constantinople',
  'petersburg',
  'istanbul',
  'berlin',
  'london',
] as const;

/** The soak genesis.json (geth format): every fork up to Prague at genesis, no accounts. */
export const SOAK_GENESIS_JSON: string = JSON.stringify({
  config: {
    chainId: SOAK_CHAIN_ID,
    ...Object.fromEntries(BLOCK_FORKS.map((fork) => [`${fork}Block`, 0])),
    terminalTotalDifficulty: 0,
    shanghaiTime: 0,
    cancunTime: 0,
    pragueTime: 0,
  },
  timestamp: '0x68000000',
  gasLimit: '0x1c9c380',
  difficulty: '0x0',
  alloc: {},
});

/** Header field indices (yellow paper order) that a child block changes. */
const PARENT_HASH = 0;
const NUMBER = 8;
const TIME = 11;
/** Seconds between blocks. */
const BLOCK_TIME_S = 12n;

/**
 * The empty block after `parent`: the parent's header with the parent hash, number and time
 * moved on, and a body without transactions, ommers or withdrawals.
 */
function childBlock(parent: ChainHeader): Uint8Array {
  const header = decodeRlp(parent.rlp) as RlpDecoded[];
  const fields: (RlpDecoded | bigint)[] = [...header];
  fields[PARENT_HASH] = parent.hash;
  fields[NUMBER] = parent.number + 1n;
  fields[TIME] = parent.time + BLOCK_TIME_S;
  return encodeRlp([fields, [], [], []]);
}

/**
 * The soak chain: its genesis and `blocks` empty blocks (deterministic: every call builds the
 * same hashes).
 * @throws {RangeError} unless `blocks` is a non-negative integer
 */
export async function soakChain(blocks: number): Promise<MemoryChain> {
  if (!Number.isSafeInteger(blocks) || blocks < 0) {
    throw new RangeError(`blocks: expected a non-negative integer, got ${blocks}`);
  }
  const chain = await MemoryChain.fromGenesis(parseGenesisJson(SOAK_GENESIS_JSON));
  for (let i = 0; i < blocks; i++) chain.importRlp(childBlock(chain.head()));
  return chain;
}
