/**
 * The fork identifier of EIP-2124: a CRC32 checksum of the genesis hash and every fork the chain
 * has passed, plus the next scheduled fork. Block forks are compared with the head block number
 * and timestamp forks (Shanghai onwards) with the head block time (geth `core/forkid.NewID`).
 * @see https://eips.ethereum.org/EIPS/eip-2124
 * @see https://eips.ethereum.org/EIPS/eip-6122
 * @module
 */
import { assertBytes } from '@ethp2p/crypto';
import type { ChainConfig, ForkValue } from '../chain-config/chain-config.ts';
import { BLOCK_FORKS, TIME_FORKS } from '../chain-config/chain-config.ts';
import { crc32 } from './crc32.ts';

/** The largest fork value and `next`: 2^64 − 1. */
export const MAX_FORK_VALUE: bigint = 2n ** 64n - 1n;

/** An EIP-2124 fork identifier. */
export interface ForkId {
  /** 4 bytes: the CRC32 (big-endian) of the genesis hash and the passed forks. */
  readonly hash: Uint8Array;
  /** The block number or timestamp of the next fork, 0n if none is scheduled. */
  readonly next: bigint;
}

/** Where the local chain is: the head block's number and timestamp (seconds). */
export interface ForkHead {
  readonly number: bigint;
  readonly time: bigint;
}

/** The forks that count for the fork ID: sorted, de-duplicated, without genesis forks. */
export interface ForkList {
  readonly byBlock: readonly bigint[];
  readonly byTime: readonly bigint[];
}

/**
 * The block forks and the time forks of `config`, each sorted ascending without duplicates.
 * Block forks at 0 and time forks at or before the genesis time are left out: they are the
 * genesis rules, not forks (geth `gatherForks`).
 * @throws {TypeError|RangeError} if a fork value is not an integer in 0 to 2^64 − 1
 */
export function gatherForks(config: ChainConfig): ForkList {
  const byBlock = sortedUnique(BLOCK_FORKS.map((name) => forkValue(name, config[name])));
  const byTime = sortedUnique(TIME_FORKS.map((name) => forkValue(name, config[name])));
  const genesisTime = config.genesisTime;
  checkU64('config.genesisTime', genesisTime);
  return {
    byBlock: byBlock.filter((fork) => fork !== 0n),
    byTime: byTime.filter((fork) => fork > genesisTime),
  };
}

/**
 * The fork ID of a chain whose head is at `head`: the checksum of the genesis hash and every
 * fork at or below the head, and the first fork above it (0n when none is left).
 * @throws {TypeError|RangeError} for a malformed config (genesis hash not 32 bytes, bad forks)
 * @example `forkId(MAINNET, { number: 30_000_000n, time: 1_746_612_311n }) // { hash: c376cf8b, next: 1764798551n }`
 */
export function forkId(config: ChainConfig, head: ForkHead): ForkId {
  checkHead(head);
  const { byBlock, byTime } = gatherForks(config);
  let sum = genesisChecksum(config);
  for (const [forks, at] of [
    [byBlock, head.number],
    [byTime, head.time],
  ] as const) {
    for (const fork of forks) {
      if (fork > at) return { hash: checksumBytes(sum), next: fork };
      sum = checksumUpdate(sum, fork);
    }
  }
  return { hash: checksumBytes(sum), next: 0n };
}

/** The CRC32 of the genesis hash, where every fork ID checksum starts. */
export function genesisChecksum(config: ChainConfig): number {
  assertBytes('config.genesisHash', config.genesisHash, 32);
  return crc32(config.genesisHash);
}

/** `sum` updated with `fork` as 8 big-endian bytes (geth `checksumUpdate`). */
export function checksumUpdate(sum: number, fork: bigint): number {
  const blob = new Uint8Array(8);
  new DataView(blob.buffer).setBigUint64(0, fork);
  return crc32(blob, sum);
}

/** A 32-bit checksum as 4 big-endian bytes. */
export function checksumBytes(sum: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, sum);
  return out;
}

/** Throws unless `head` holds two bigints in 0 to 2^64 − 1. */
export function checkHead(head: ForkHead): void {
  checkU64('head.number', head?.number);
  checkU64('head.time', head?.time);
}

function forkValue(name: string, value: ForkValue | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`config.${name}: expected an unsigned integer, got ${value}`);
    }
    return BigInt(value);
  }
  checkU64(`config.${name}`, value);
  return value;
}

function checkU64(field: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`${field}: expected bigint, got ${typeof value}`);
  if (value < 0n || value > MAX_FORK_VALUE) {
    throw new RangeError(`${field}: expected 0 to 2^64-1, got ${value}`);
  }
}

function sortedUnique(values: readonly (bigint | undefined)[]): bigint[] {
  const set = new Set<bigint>();
  for (const v of values) if (v !== undefined) set.add(v);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
