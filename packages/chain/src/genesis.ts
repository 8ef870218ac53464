/**
 * The genesis block of a parsed genesis.json: its header, with the fields of the forks active at
 * genesis as geth fills them in (`core/genesis.go` `toBlockWithRoot`), and its state root, the
 * root of the secure Merkle-Patricia trie of `alloc`, computed with `@ethereumjs/mpt`.
 * @see https://github.com/ethereum/go-ethereum/blob/master/core/genesis.go
 * @module
 */

import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { hexToBytes, keccak256 } from '@ethp2p/crypto';
import type { ChainParams, ForkValue, Genesis, GenesisAccount } from '@ethp2p/eth';
import type { DecodedBlock } from './block.ts';
import {
  EMPTY_BLOCK_ACCESS_LIST_HASH,
  EMPTY_CODE_HASH,
  EMPTY_REQUESTS_HASH,
  EMPTY_ROOT_HASH,
  EMPTY_UNCLE_HASH,
  GENESIS_GAS_LIMIT,
  INITIAL_BASE_FEE_WEI,
} from './constants.ts';
import { type HeaderFields, headerFromFields } from './header.ts';

/**
 * The genesis block of `genesis`: header (hash included) and body (`[[], [], []]` from Shanghai,
 * `[[], []]` before).
 */
export async function genesisBlock(genesis: Genesis): Promise<DecodedBlock> {
  const stateRoot = await genesisStateRoot(genesis.alloc.values());
  const fields = genesisHeaderFields(genesis, stateRoot);
  const header = headerFromFields(fields);
  const empty = encodeList([]);
  const withdrawals = fields.withdrawalsRoot !== undefined;
  const body = encodeList(withdrawals ? [empty, empty, empty] : [empty, empty]);
  return { header, body };
}

/**
 * The header fields of the genesis block with state root `stateRoot`. Like geth: a zero gas
 * limit becomes {@link GENESIS_GAS_LIMIT}; London at block 0 brings a base fee (default
 * {@link INITIAL_BASE_FEE_WEI}); Shanghai the empty withdrawals root; Cancun a zero parent beacon
 * root and blob gas fields (default 0); Prague the empty requests hash; Amsterdam the empty
 * block access list hash and a slot number (default 0). Time forks count as active when London
 * is active at the genesis number and their time is at or before the genesis time.
 */
export function genesisHeaderFields(genesis: Genesis, stateRoot: Uint8Array): HeaderFields {
  const config: ChainParams = genesis.config;
  const londonAtZero = isForked(config.londonBlock, 0n);
  const london = isForked(config.londonBlock, genesis.number);
  const at = (fork: ForkValue | undefined) => london && isForked(fork, genesis.timestamp);
  const cancun = at(config.cancunTime);
  const amsterdam = at(config.amsterdamTime);
  const nonce = new Uint8Array(8);
  new DataView(nonce.buffer).setBigUint64(0, genesis.nonce);
  return {
    parentHash: genesis.parentHash,
    ommersHash: EMPTY_UNCLE_HASH,
    coinbase: genesis.coinbase,
    stateRoot,
    transactionsRoot: EMPTY_ROOT_HASH,
    receiptsRoot: EMPTY_ROOT_HASH,
    logsBloom: new Uint8Array(256),
    difficulty: genesis.difficulty,
    number: genesis.number,
    gasLimit: genesis.gasLimit === 0n ? GENESIS_GAS_LIMIT : genesis.gasLimit,
    gasUsed: genesis.gasUsed,
    timestamp: genesis.timestamp,
    extraData: genesis.extraData,
    mixHash: genesis.mixHash,
    nonce,
    baseFeePerGas: genesis.baseFeePerGas ?? (londonAtZero ? INITIAL_BASE_FEE_WEI : undefined),
    withdrawalsRoot: at(config.shanghaiTime) ? EMPTY_ROOT_HASH : undefined,
    blobGasUsed: cancun ? (genesis.blobGasUsed ?? 0n) : undefined,
    // geth keeps an excessBlobGas given before Cancun ("allowing it for testing purposes").
    excessBlobGas: cancun ? (genesis.excessBlobGas ?? 0n) : genesis.excessBlobGas,
    parentBeaconBlockRoot: cancun ? new Uint8Array(32) : undefined,
    requestsHash: at(config.pragueTime) ? EMPTY_REQUESTS_HASH : undefined,
    blockAccessListHash: amsterdam ? EMPTY_BLOCK_ACCESS_LIST_HASH : undefined,
    slotNumber: amsterdam ? (genesis.slotNumber ?? 0n) : undefined,
  };
}

/**
 * The state root of a genesis allocation: a trie keyed by keccak256(address) holding
 * `rlp([nonce, balance, storageRoot, codeHash])`, each storage trie keyed by keccak256(slot)
 * holding the RLP of the value without leading zeros. Zero-valued slots are left out, and every
 * listed account is kept even when empty (geth commits the genesis state without EIP-158).
 */
export async function genesisStateRoot(accounts: Iterable<GenesisAccount>): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie();
  for (const account of accounts) {
    const storageRoot = await storageTrieRoot(account.storage);
    const codeHash = account.code.length === 0 ? EMPTY_CODE_HASH : keccak256(account.code);
    const value = encodeList([
      encodeUint(account.nonce),
      encodeUint(account.balance),
      encodeBytes(storageRoot),
      encodeBytes(codeHash),
    ]);
    await trie.put(keccak256(account.address), value);
  }
  return trie.root();
}

async function storageTrieRoot(storage: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie();
  for (const [slot, value] of storage) {
    const trimmed = trimLeadingZeros(value);
    if (trimmed.length > 0) await trie.put(keccak256(hexToBytes(slot)), encodeBytes(trimmed));
  }
  return trie.root();
}

function trimLeadingZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** Whether a fork scheduled at `fork` (a block number or a time) is active at `at`. */
function isForked(fork: ForkValue | undefined, at: bigint): boolean {
  return fork !== undefined && BigInt(fork) <= at;
}
