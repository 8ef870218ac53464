/**
 * How a block joins a chain: its parent among the blocks the chain holds (canonical or not),
 * the link between the two, and the side branch between a block and the canonical chain.
 * Internal: shared by {@link MemoryChain} and {@link PersistentChain}.
 * @module
 */
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';

/** Reads a header the chain holds (canonical or on a side branch) by its hash. */
export type HeaderByHash = (hash: Uint8Array) => ChainHeader | undefined;

/**
 * Checks that `header` extends `parent`.
 * @throws {ChainError} UNLINKED_BLOCK when its number or parent hash does not follow `parent`
 */
export function checkLink(where: string, parent: ChainHeader, header: ChainHeader): void {
  if (header.number !== parent.number + 1n) {
    throw new ChainError(
      'UNLINKED_BLOCK',
      `${where}: number ${header.number} does not follow ${parent.number}`,
    );
  }
  if (!equalBytes(header.parentHash, parent.hash)) {
    throw new ChainError(
      'UNLINKED_BLOCK',
      `${where}: parent hash ${bytesToHex(header.parentHash)} is not block ${parent.number}`,
    );
  }
}

/**
 * The held block that `header` extends, checked with {@link checkLink}; `undefined` when the
 * chain already holds the block itself (the caller skips it).
 * @throws {ChainError} UNLINKED_BLOCK when the parent is unknown or the link does not hold
 */
export function linkedParent(
  where: string,
  header: ChainHeader,
  headerByHash: HeaderByHash,
): ChainHeader | undefined {
  if (headerByHash(header.hash) !== undefined) return undefined;
  const parent = headerByHash(header.parentHash);
  if (parent === undefined) {
    throw new ChainError(
      'UNLINKED_BLOCK',
      `${where}: block ${header.number} has an unknown parent ${bytesToHex(header.parentHash)}`,
    );
  }
  checkLink(where, parent, header);
  return parent;
}

/**
 * The blocks from `tip` down to the canonical chain that are not canonical, oldest first (empty
 * when `tip` is canonical): the branch a reorg to `tip` makes canonical, above the common
 * ancestor, which is the parent of its first block.
 * @throws {RangeError} when the parent hashes lead to a block the chain does not hold
 */
export function sideBranch(
  tip: ChainHeader,
  headerByHash: HeaderByHash,
  isCanonical: (header: ChainHeader) => boolean,
): ChainHeader[] {
  const branch: ChainHeader[] = [];
  for (let at: ChainHeader | undefined = tip; !isCanonical(at); ) {
    branch.push(at);
    at = headerByHash(at.parentHash);
    if (at === undefined) throw new RangeError('side branch: it does not reach the chain');
  }
  return branch.reverse();
}
