/**
 * The EIP-2124 fork ID filter: whether a remote node's fork ID is compatible with the local
 * chain, given where the local head is now (geth `core/forkid.newFilter`).
 * @see https://eips.ethereum.org/EIPS/eip-2124#validation-rules
 * @module
 */
import { assertBytes } from '@ethp2p/crypto';
import type { ChainConfig } from '../chain-config/chain-config.ts';
import type { ForkHead, ForkId } from './fork-id.ts';
import {
  checkHead,
  checksumUpdate,
  gatherForks,
  genesisChecksum,
  MAX_FORK_VALUE,
} from './fork-id.ts';

/** Why a remote fork ID was rejected (geth `ErrLocalIncompatibleOrStale`, `ErrRemoteStale`). */
export const FORK_ID_REJECTION = {
  /** The chains differ, or the local node misses a fork the remote knows: update or give up. */
  LOCAL_INCOMPATIBLE_OR_STALE: 'LOCAL_INCOMPATIBLE_OR_STALE',
  /** The remote is on an older fork and does not know the next local one: it needs an update. */
  REMOTE_STALE: 'REMOTE_STALE',
} as const;

/** Why a remote fork ID was rejected. */
export type ForkIdRejection = (typeof FORK_ID_REJECTION)[keyof typeof FORK_ID_REJECTION];

/**
 * A remote `next` above this is a timestamp, at or below it a block number: the mainnet genesis
 * timestamp (geth `core/forkid.timestampThreshold`). Used to tell whether a fork the remote
 * announces but the local chain does not know has already passed locally.
 */
export const FORK_TIMESTAMP_THRESHOLD = 1438269973n;

/**
 * Checks remote fork IDs against the local chain. Stateless apart from the head callback, which
 * is called on every check, so one filter serves a node for its whole life.
 */
export interface ForkFilter {
  /**
   * `null` if a node announcing `remote` is compatible, else why not.
   * @throws {TypeError|RangeError} if `remote` is not a 4-byte hash and a u64, or the head
   *   callback returns something other than two u64 bigints
   */
  validate(remote: ForkId): ForkIdRejection | null;
}

/**
 * A fork ID filter for `config`, reading the local head from `head` on each check. The rules
 * (EIP-2124): with the first fork the local head has not passed,
 * 1. the same checksum as the local one: accept, unless the remote announces a next fork the
 *    local head has already passed;
 * 2. the checksum of an earlier local fork state: accept only if the remote's next fork is the
 *    local fork that followed it (it is syncing), else `REMOTE_STALE`;
 * 3. the checksum of a later local fork state: accept (the local node is syncing);
 * 4. anything else: `LOCAL_INCOMPATIBLE_OR_STALE`.
 * @throws {TypeError|RangeError} for a malformed config
 * @example `newForkFilter(MAINNET, () => ({ number: h.number, time: h.timestamp })).validate(id)`
 */
export function newForkFilter(config: ChainConfig, head: () => ForkHead): ForkFilter {
  const { byBlock, byTime } = gatherForks(config);
  // A never-passed sentinel ends the list; with no time forks it is compared to the block.
  const forks = [...byBlock, ...byTime, MAX_FORK_VALUE];
  const blockForks = byTime.length === 0 ? byBlock.length + 1 : byBlock.length;
  const sums = [genesisChecksum(config)];
  for (const fork of forks.slice(0, -1)) sums.push(checksumUpdate(sums.at(-1) as number, fork));

  const judge = (i: number, at: bigint, time: bigint, remote: ForkId): ForkIdRejection | null => {
    const hash = new DataView(remote.hash.buffer, remote.hash.byteOffset, 4).getUint32(0);
    const next = remote.next;
    if (sums[i] === hash) {
      const passed = at >= next || (next > FORK_TIMESTAMP_THRESHOLD && time >= next);
      return next > 0n && passed ? FORK_ID_REJECTION.LOCAL_INCOMPATIBLE_OR_STALE : null;
    }
    for (let j = 0; j < i; j++) {
      if (sums[j] === hash) return forks[j] === next ? null : FORK_ID_REJECTION.REMOTE_STALE;
    }
    for (let j = i + 1; j < sums.length; j++) if (sums[j] === hash) return null;
    return FORK_ID_REJECTION.LOCAL_INCOMPATIBLE_OR_STALE;
  };

  return {
    validate(remote: ForkId): ForkIdRejection | null {
      assertBytes('remote.hash', remote?.hash, 4);
      if (typeof remote.next !== 'bigint' || remote.next < 0n || remote.next > MAX_FORK_VALUE) {
        throw new RangeError(`remote.next: expected 0 to 2^64-1, got ${String(remote.next)}`);
      }
      const now = head();
      checkHead(now);
      for (const [i, fork] of forks.entries()) {
        const at = i < blockForks ? now.number : now.time;
        if (at < fork) return judge(i, at, now.time, remote);
      }
      return null; // the head is at 2^64 - 1: geth accepts ("impossible fork ID validation")
    },
  };
}
