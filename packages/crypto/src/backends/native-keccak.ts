/**
 * Incremental keccak-256 on the N-API sponge of the `keccak` package. Its public API is a Node
 * stream whose digest consumes the state, so this loads the sponge class the same way
 * `keccak/bindings` does (node-gyp-build from the package's own directory) and uses it directly:
 * `copy` makes the non-consuming digest cheap.
 * @module
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { KeccakState } from '../types.ts';

/** The sponge object of the `keccak` addon (XKCP KeccakWidth1600_Sponge). */
interface NativeSponge {
  initialize(rate: number, capacity: number): void;
  absorb(data: Uint8Array): void;
  squeeze(length: number): Uint8Array;
  copy(to: NativeSponge): void;
}

type NativeSpongeClass = new () => NativeSponge;

/** keccak-256: rate 1088 bits, capacity 512 bits, Keccak padding. */
const RATE_BITS = 1088;
const CAPACITY_BITS = 512;

class SpongeState implements KeccakState {
  readonly #sponge: NativeSponge;
  readonly #scratch: NativeSponge;

  constructor(Sponge: NativeSpongeClass, scratch: NativeSponge) {
    this.#sponge = new Sponge();
    this.#sponge.initialize(RATE_BITS, CAPACITY_BITS);
    this.#scratch = scratch;
  }

  update(data: Uint8Array): KeccakState {
    this.#sponge.absorb(data);
    return this;
  }

  digest(): Uint8Array {
    // Squeezing pads and permutes the sponge, so squeeze a copy.
    this.#sponge.copy(this.#scratch);
    const out = this.#scratch.squeeze(32);
    return new Uint8Array(out.buffer, out.byteOffset, 32);
  }
}

/** Loads the sponge class of the `keccak` addon. @throws {Error} when the addon cannot load */
function loadSpongeClass(): NativeSpongeClass {
  const require = createRequire(import.meta.url);
  // Loading the public bindings first fails loudly if the prebuilt addon is unusable here.
  require('keccak/bindings');
  const keccakDir = dirname(require.resolve('keccak/bindings'));
  const nodeGypBuild = createRequire(`${keccakDir}/`)('node-gyp-build') as (dir: string) => unknown;
  const Sponge = nodeGypBuild(keccakDir);
  if (typeof Sponge !== 'function') throw new Error('keccak addon did not export a class');
  return Sponge as NativeSpongeClass;
}

/**
 * Creates incremental keccak-256 states on the native addon. States share one scratch sponge
 * for digests, which is safe because every call is synchronous.
 * @throws {Error} when the addon cannot load
 */
export function loadNativeKeccakState(): () => KeccakState {
  const Sponge = loadSpongeClass();
  const scratch = new Sponge();
  return () => new SpongeState(Sponge, scratch);
}
