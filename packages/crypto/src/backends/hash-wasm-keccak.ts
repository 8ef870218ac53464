/**
 * Synchronous keccak-256 on hash-wasm. hash-wasm only creates hashers asynchronously, so the
 * hashers are made once at load: one for one-shot hashing and one shared by every incremental
 * state. Each state keeps a `save()` snapshot; the shared hasher remembers whose state it holds, so
 * a run of updates on one state costs no snapshot at all.
 * @module
 */
import type { IHasher } from 'hash-wasm';
import type { KeccakState } from '../types.ts';

/** keccak-256 in one call and as an incremental state. */
export interface KeccakProvider {
  /** keccak256 of `data`. */
  keccak256(data: Uint8Array): Uint8Array;
  /** A fresh incremental state whose `digest()` does not consume it. */
  createKeccak256(): KeccakState;
}

/** The shared hasher and which state it currently holds. */
interface SharedHasher {
  readonly hasher: IHasher;
  owner: SnapshotState | undefined;
}

class SnapshotState implements KeccakState {
  readonly #shared: SharedHasher;
  /** The state as of the last time another state took the hasher; undefined means empty. */
  #snapshot: Uint8Array | undefined;

  constructor(shared: SharedHasher, snapshot?: Uint8Array) {
    this.#shared = shared;
    this.#snapshot = snapshot;
  }

  /** Makes the shared hasher hold this state, saving the previous holder's state first. */
  #acquire(): IHasher {
    const shared = this.#shared;
    if (shared.owner === this) return shared.hasher;
    shared.owner?.release();
    if (this.#snapshot === undefined) shared.hasher.init();
    else shared.hasher.load(this.#snapshot);
    shared.owner = this;
    return shared.hasher;
  }

  /** Stores the hasher's state in this snapshot; only called on the current holder. */
  release(): void {
    this.#snapshot = this.#shared.hasher.save();
    this.#shared.owner = undefined;
  }

  update(data: Uint8Array): KeccakState {
    this.#acquire().update(data);
    return this;
  }

  digest(): Uint8Array {
    const hasher = this.#acquire();
    // hash-wasm's digest finalizes the hasher, so keep the state first.
    this.release();
    return hasher.digest('binary');
  }
}

/**
 * Creates the hash-wasm keccak provider. Not reentrant across threads (there are none): every
 * call runs to completion before the shared hasher is used again.
 */
export async function createHashWasmKeccak(): Promise<KeccakProvider> {
  const { createKeccak } = await import('hash-wasm');
  const oneShot = await createKeccak(256);
  const shared: SharedHasher = { hasher: await createKeccak(256), owner: undefined };
  return {
    keccak256: (data) => oneShot.init().update(data).digest('binary'),
    createKeccak256: () => new SnapshotState(shared),
  };
}
