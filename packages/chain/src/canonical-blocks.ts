/**
 * The blocks of a chain held in memory, by hash (canonical and side branches), the canonical
 * ones by number, and the reads of `ChainReader` over them (the base of {@link MemoryChain}).
 * @module
 */
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';
import { sideBranch } from './linkage.ts';

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

  /** Whether `header` is the canonical block of its number. */
  protected isCanonical(header: ChainHeader): boolean {
    const known = this.headerByNumber(header.number);
    return known !== undefined && equalBytes(known.hash, header.hash);
  }

  /**
   * Makes the branch ending at the kept block `tip` canonical: the canonical chain is cut at the
   * common ancestor and continues with the branch.
   */
  protected setHead(tip: B): void {
    const branch = sideBranch(
      tip.header,
      (hash) => this.headerByHash(hash),
      (header) => this.isCanonical(header),
    );
    this.#canonical.length = Number(branch[0]?.number ?? tip.header.number + 1n);
    this.#canonical.push(...branch);
  }
}
