/**
 * The blocks of a chain held in memory, by hash (canonical and side branches), the canonical
 * ones by number, and the reads of `ChainReader` over them (the base of {@link MemoryChain}).
 * @module
 */
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';

const EMPTY = new Uint8Array(0);

/** A block as a chain keeps it: header, body and whatever else the chain stores with them. */
export interface HeldBlock {
  readonly header: ChainHeader;
  /** The RLP of `[transactions, ommers, withdrawals?]`. */
  readonly body: Uint8Array;
}

/**
 * A chain in memory, genesis first. Subclasses add blocks with `append` (each must extend the
 * head) or `keep` (a side branch) and `setHead`, and know the rest of `ChainReader`.
 */
export abstract class CanonicalBlocks<B extends HeldBlock> {
  readonly #canonical: ChainHeader[] = [];
  readonly #byHash = new Map<string, B>();

  genesis(): ChainHeader {
    return this.#canonical[0] as ChainHeader;
  }

  head(): ChainHeader {
    return this.#canonical[this.#canonical.length - 1] as ChainHeader;
  }

  headerByHash(hash: Uint8Array): ChainHeader | undefined {
    return this.#byHash.get(bytesToHex(hash))?.header;
  }

  headerByNumber(number: bigint): ChainHeader | undefined {
    if (number < 0n || number >= BigInt(this.#canonical.length)) return undefined;
    return this.#canonical[Number(number)];
  }

  bodyByHash(hash: Uint8Array): Uint8Array | undefined {
    return this.#byHash.get(bytesToHex(hash))?.body;
  }

  /** The held block with this hash. */
  protected held(hash: Uint8Array): B | undefined {
    return this.#byHash.get(bytesToHex(hash));
  }

  /** Makes `block` the new head. */
  protected append(block: B): void {
    this.#canonical.push(block.header);
    this.#byHash.set(bytesToHex(block.header.hash), block);
  }

  /** Keeps `block` by hash, not canonical (a block of a side branch; its parent is kept). */
  protected keep(block: B): void {
    this.#byHash.set(bytesToHex(block.header.hash), block);
  }

  /**
   * Makes the branch ending at the kept block `tip` canonical: the canonical chain is cut at the
   * common ancestor and continues with the branch.
   */
  protected setHead(tip: B): void {
    const branch: ChainHeader[] = [];
    let at: ChainHeader | undefined = tip.header;
    while (
      at !== undefined &&
      !equalBytes(this.headerByNumber(at.number)?.hash ?? EMPTY, at.hash)
    ) {
      branch.push(at);
      at = this.headerByHash(at.parentHash);
    }
    if (at === undefined) throw new RangeError('setHead: the branch does not reach the chain');
    this.#canonical.length = Number(at.number) + 1;
    this.#canonical.push(...branch.reverse());
  }
}
