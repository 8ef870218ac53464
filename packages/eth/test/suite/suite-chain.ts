/**
 * The chain of the conformance suite and the interop tests: a generated chain (as geth's eth
 * test suite runs against its own genesis.json + chain.rlp) whose config schedules timestamp
 * forks during the chain, so the fork ID at the head has passed forks and a `next`. Osaka and
 * the BPO forks change no header field, so the generated blocks stay valid under them.
 * Also an independent fork ID (EIP-2124) computed from the genesis.json with `node:zlib`'s
 * CRC32, to check the one our Status carries.
 * @module
 */
import { crc32 } from 'node:zlib';
import { MemoryChain } from '@ethp2p/chain';
import { readGenesis } from '../../src/chain-config/genesis.ts';
import { type GeneratedChain, generateChain } from '../helpers/chain-generator.ts';

/** Blocks after genesis: GetBlockBodies of the suite asks for blocks 54 and 75. */
export const SUITE_BLOCKS = 100;

/** Block time of the generator: block n is at genesis time + 12 n. */
const BLOCK_TIME = 12n;

/** The suite chain: the generated blocks, its genesis.json and a way to serve it. */
export interface SuiteChain {
  readonly gen: GeneratedChain;
  /** The genesis.json object, with the fork schedule below. */
  readonly genesisJson: Record<string, unknown>;
  /** The genesis timestamp. */
  readonly genesisTime: bigint;
  /** A fresh MemoryChain holding every block. */
  memoryChain(): Promise<MemoryChain>;
}

let cached: Promise<SuiteChain> | undefined;

/**
 * The suite chain, built once per test file: a Prague chain of {@link SUITE_BLOCKS} blocks with
 * Osaka at block 8's time, BPO1 at block 20's time (both passed at the head) and BPO2 a million
 * seconds after genesis (the fork ID's `next`).
 */
export function suiteChain(): Promise<SuiteChain> {
  cached ??= buildSuiteChain();
  return cached;
}

async function buildSuiteChain(): Promise<SuiteChain> {
  const gen = await generateChain({ blocks: SUITE_BLOCKS, txEvery: 5 });
  const genesisTime = gen.genesis.timestamp;
  const config = gen.genesisJson.config as Record<string, unknown>;
  const at = (block: bigint) => Number(genesisTime + BLOCK_TIME * block);
  const genesisJson = {
    ...gen.genesisJson,
    config: {
      ...config,
      osakaTime: at(8n),
      bpo1Time: at(20n),
      bpo2Time: Number(genesisTime + 1_000_000n),
    },
  };
  const genesis = readGenesis(genesisJson);
  return {
    gen,
    genesisJson,
    genesisTime,
    async memoryChain() {
      const chain = await MemoryChain.fromGenesis(genesis);
      chain.importRlp(gen.chainRlp);
      return chain;
    },
  };
}

/** A fork ID as the suite expects it. */
export interface ExpectedForkId {
  readonly hash: Uint8Array;
  readonly next: bigint;
}

/**
 * The fork ID of a genesis.json at a head, by EIP-2124's text: CRC32 of the genesis hash, then of
 * each passed fork as 8 big-endian bytes (block forks by number, then time forks by time; forks
 * at 0 and time forks at or before the genesis time left out), `next` the first unpassed one.
 */
export function independentForkId(
  genesisJson: Record<string, unknown>,
  genesisHash: Uint8Array,
  head: { readonly number: bigint; readonly time: bigint },
): ExpectedForkId {
  const config = genesisJson.config as Record<string, unknown>;
  const genesisTime = BigInt(genesisJson.timestamp as string);
  const forks = (suffix: string, after: bigint): bigint[] => {
    const values = Object.entries(config)
      .filter(([k, v]) => k.endsWith(suffix) && typeof v === 'number')
      .map(([, v]) => BigInt(v as number))
      .filter((v) => v > after);
    return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  let sum = crc32(genesisHash);
  for (const [list, at] of [
    [forks('Block', 0n), head.number],
    [forks('Time', genesisTime), head.time],
  ] as const) {
    for (const fork of list) {
      if (fork > at) return { hash: u32(sum), next: fork };
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, fork);
      sum = crc32(bytes, sum);
    }
  }
  return { hash: u32(sum), next: 0n };
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
}
