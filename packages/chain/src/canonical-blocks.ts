/**
 * The canonical blocks of a chain held in memory, by number and by hash, and the reads of
 * `ChainReader` over them: the common part of {@link MemoryChain} and {@link PersistentChain}.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';

/** A block as a chain keeps it: header, body and whatever else the chain stores with them. */
export interface HeldBlock {
  readonly header: ChainHeader;
  /** The RLP of `[transactions, ommers, withdrawals?]`. */
  readonly body: Uint8Array;
}

/**
 * A canonical chain in memory, genesis first. Subclasses add blocks with `append` (each must
 * extend the head) and know the rest of `ChainReader`.
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
}
