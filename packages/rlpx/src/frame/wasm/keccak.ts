/**
 * keccak-256 states on the frame-MAC WebAssembly module: the states the handshake seeds for the
 * frame MACs, which {@link FrameMac} then runs in one module call per MAC step.
 * @module
 */
import type { KeccakState } from '@ethp2p/crypto';
import { frameMacEngine, MacContext } from './engine.ts';

/** An incremental keccak-256 state held in a {@link MacContext}. */
export class MacKeccak implements KeccakState {
  readonly #ctx = new MacContext();

  /**
   * A copy of `state`'s context (keccak state and position), for a MAC taking it over.
   * @internal
   */
  static contextOf(state: MacKeccak): MacContext {
    const engine = frameMacEngine();
    engine.sync(state.#ctx);
    const copy = new MacContext();
    copy.bytes.set(state.#ctx.bytes);
    return copy;
  }

  update(data: Uint8Array): KeccakState {
    frameMacEngine().absorb(this.#ctx, data);
    return this;
  }

  digest(): Uint8Array {
    return frameMacEngine().digest(this.#ctx);
  }
}

/**
 * A fresh keccak-256 state on the frame-MAC module. Seed the frame MAC states with it (the
 * handshake's `deriveSecrets` does): {@link FrameMac} runs such a state without crossing into
 * JS between the steps of a MAC; any other `KeccakState` takes the slower generic path.
 */
export function createMacKeccak(): KeccakState {
  return new MacKeccak();
}
