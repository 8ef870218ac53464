/**
 * A generator of executed chains for tests and benchmarks: a Cancun genesis with funded accounts and a contract
 * that stores its call data and logs it, and N blocks of real signed transactions (EIP-1559
 * transfers, legacy calls to the contract) built by `@ethereumjs/vm`'s block builder, so every
 * header carries the state root, receipts root, logs bloom and gas used that execution gives.
 * @module
 */
import { type Block, createBlockFromRLP } from '@ethereumjs/block';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx';
import { createAddressFromPrivateKey } from '@ethereumjs/util';
import { buildBlock, createVM } from '@ethereumjs/vm';
import { encodeList, listItems, readRoot } from '@ethp2p/base/rlp';
import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '@ethp2p/crypto';
import { readGenesis } from '@ethp2p/eth';
import { executionCommon, genesisState } from '../exec/executor.ts';
import { genesisBlock } from '../genesis.ts';

/** The contract's address. */
export const LOG_CONTRACT = '0x00000000000000000000000000000000000c0de1';

/** The topic of the contract's LOG1. */
export const LOG_TOPIC: Uint8Array = keccak256(new TextEncoder().encode('ethp2p.test.log'));

/** Runtime code: SSTORE(0, calldata[0:32]); MSTORE(0, it); LOG1(0, 32, LOG_TOPIC); STOP. */
const LOG_CODE = concatBytes(
  hexToBytes('60003580600055600052'),
  Uint8Array.of(0x7f),
  LOG_TOPIC,
  hexToBytes('60206000a100'),
);

/** A contract that stores the hash of the block before: SSTORE(0, BLOCKHASH(NUMBER - 1)); STOP. */
export const BLOCKHASH_CONTRACT = '0x00000000000000000000000000000000000b10c4';

const BLOCKHASH_CODE = hexToBytes('600143034060005500');

/** Options of {@link generateExecutedChain}. */
export interface ExecutedChainOptions {
  /** Blocks after genesis (default 8). */
  readonly blocks?: number;
  /** Transactions per block, alternating transfers and contract calls (default 3). */
  readonly txsPerBlock?: number;
  /**
   * A fork: the blocks after `after` move other values (by `salt`), so a chain generated with a
   * fork shares blocks 1..`after` with the one generated without, and differs from there on.
   */
  readonly fork?: { readonly after: number; readonly salt: number };
  /**
   * Each block ends with a call to {@link BLOCKHASH_CONTRACT}, so its state root depends on the
   * hash of its parent as BLOCKHASH reads it (default false).
   */
  readonly blockHashes?: boolean;
}

/** A generated chain: its genesis.json and its blocks' RLP, 1..N. */
export interface ExecutedChain {
  readonly genesisJson: Record<string, unknown>;
  readonly blocks: readonly Uint8Array[];
  /** The blocks concatenated, as `geth export` writes a chain.rlp. */
  readonly chainRlp: Uint8Array;
}

const KEYS = [1, 2, 3].map((i) => hexToBytes(i.toString(16).padStart(64, '0')));

/** The genesis.json of an executed chain: every fork up to Cancun at 0, three funded keys. */
export function executedGenesisJson(): Record<string, unknown> {
  const config: Record<string, unknown> = { chainId: 1337, terminalTotalDifficulty: 0 };
  const blockForks =
    'homestead eip150 eip155 eip158 byzantium constantinople petersburg istanbul berlin london';
  for (const fork of blockForks.split(' ')) {
    config[`${fork}Block`] = 0;
  }
  config.shanghaiTime = 0;
  config.cancunTime = 0;
  config.blobSchedule = { cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 } };
  const alloc: Record<string, unknown> = {
    [LOG_CONTRACT]: { balance: '0x0', code: `0x${bytesToHex(LOG_CODE)}`, storage: {} },
    [BLOCKHASH_CONTRACT]: { balance: '0x0', code: `0x${bytesToHex(BLOCKHASH_CODE)}`, storage: {} },
  };
  for (const key of KEYS) {
    alloc[createAddressFromPrivateKey(key).toString()] = { balance: '0xd3c21bcecceda1000000' };
  }
  return {
    config,
    timestamp: '0x65000000',
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    baseFeePerGas: '0x3b9aca00',
    alloc,
  };
}

/** Builds an executed chain (see the module comment). */
export async function generateExecutedChain(
  options: ExecutedChainOptions = {},
): Promise<ExecutedChain> {
  const genesisJson = executedGenesisJson();
  const common = executionCommon(genesisJson);
  const state = new MerkleStateManager({ common });
  await state.generateCanonicalGenesis(genesisState(genesisJson));
  const hashes: Uint8Array[] = [];
  const blockchain = {
    getBlock: async (n: number) => ({ hash: () => hashes[n] ?? new Uint8Array(32) }),
    putBlock: async () => {},
    shallowCopy() {
      return this;
    },
  };
  const vm = await createVM({ common, stateManager: state, blockchain, setHardfork: true });
  const genesis = await genesisBlock(readGenesis(genesisJson));
  let parent: Block = createBlockFromRLP(
    encodeList([
      genesis.header.rlp,
      ...listItems(readRoot(genesis.body, 'body'), 'body').map((item) => item.raw),
    ]),
    { common, setHardfork: true },
  );
  hashes.push(parent.hash());
  const nonces = KEYS.map(() => 0n);
  const forkAfter = options.fork?.after ?? Number.POSITIVE_INFINITY;
  const salt = options.fork?.salt ?? 0;
  const blocks: Uint8Array[] = [];
  for (let n = 1; n <= (options.blocks ?? 8); n++) {
    const builder = await buildBlock(vm, {
      parentBlock: parent,
      headerData: {
        timestamp: parent.header.timestamp + 12n,
        gasLimit: parent.header.gasLimit,
        parentBeaconBlockRoot: new Uint8Array(32),
        coinbase: hexToBytes('00000000000000000000000000000000000000cb'),
      },
      withdrawals: [],
      blockOpts: { setHardfork: true, putBlockIntoBlockchain: false },
    });
    for (let i = 0; i < (options.txsPerBlock ?? 3); i++) {
      const k = (n + i) % KEYS.length;
      const key = KEYS[k] as Uint8Array;
      const nonce = nonces[k] as bigint;
      nonces[k] = nonce + 1n;
      const tx =
        i % 2 === 0
          ? createFeeMarket1559Tx(
              {
                chainId: 1337n,
                nonce,
                maxFeePerGas: 100_000_000_000n,
                maxPriorityFeePerGas: 1_000_000_000n,
                gasLimit: 21_000n,
                to: createAddressFromPrivateKey(KEYS[(k + 1) % KEYS.length] as Uint8Array),
                value: BigInt(n * 1000 + i + (n > forkAfter ? salt : 0)),
              },
              { common: vm.common },
            ).sign(key)
          : createLegacyTx(
              {
                nonce,
                gasPrice: 100_000_000_000n,
                gasLimit: 100_000n,
                to: LOG_CONTRACT,
                data: hexToBytes((n * 256 + i).toString(16).padStart(64, '0')),
              },
              { common: vm.common },
            ).sign(key);
      await builder.addTransaction(tx);
    }
    if (options.blockHashes === true) {
      const key = KEYS[0] as Uint8Array;
      const nonce = nonces[0] as bigint;
      nonces[0] = nonce + 1n;
      const call = createLegacyTx(
        { nonce, gasPrice: 100_000_000_000n, gasLimit: 100_000n, to: BLOCKHASH_CONTRACT },
        { common: vm.common },
      );
      await builder.addTransaction(call.sign(key));
    }
    const { block } = await builder.build();
    blocks.push(block.serialize());
    hashes.push(block.hash());
    parent = block;
  }
  return { genesisJson, blocks, chainRlp: concatBytes(...blocks) };
}
