/**
 * The per-direction RLPx frame MAC: a running keccak-256 state updated with AES-256 "seeds"
 * (geth calls it the legacy contraption).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#mac
 * @module
 */
import { type Aes256Block, assertBytes, createAes256Block, type KeccakState } from '@ethp2p/crypto';
import { MAC_SIZE } from './constants.ts';
import { frameMacEngine, type MacContext } from './wasm/engine.ts';
import { MacKeccak } from './wasm/keccak.ts';

/**
 * One direction's MAC state (egress or ingress). It owns the keccak state it is given: every call
 * absorbs into it, so the two sides of a connection must call it in the same order. Not safe to
 * share between concurrent writers; the codec that holds it serialises its use.
 *
 * A state made by {@link createMacKeccak} (what the handshake makes) runs each MAC step in one
 * call into the frame-MAC WebAssembly module (keccak, the non-consuming digests and the AES
 * seed inside it); any other `KeccakState` (a test double, another implementation) is driven
 * through its `update`/`digest` with a node:crypto AES block.
 */
export class FrameMac {
  /** The module context (keccak state, cached digest, round keys), or null on the generic path. */
  readonly #ctx: MacContext | null;
  readonly #generic: GenericMac | null;

  /**
   * @param state the running keccak-256 state from the handshake (egress or ingress MAC)
   * @param macSecret the 32-byte mac-secret, the key of the AES-256 seeds
   * @throws {RangeError} if `macSecret` is not 32 bytes
   */
  constructor(state: KeccakState, macSecret: Uint8Array) {
    assertBytes('macSecret', macSecret, 32);
    if (state instanceof MacKeccak) {
      const ctx = MacKeccak.contextOf(state);
      frameMacEngine().setKey(ctx, macSecret);
      this.#ctx = ctx;
      this.#generic = null;
    } else {
      this.#ctx = null;
      this.#generic = new GenericMac(state, createAes256Block(macSecret));
    }
  }

  /**
   * Absorbs a 16-byte header ciphertext and returns the 16-byte header MAC (a fresh array):
   * `seed = AES(mac-secret, digest[0:16]) XOR header-ct`, absorb seed, `digest[0:16]`.
   * @throws {RangeError} if `headerCt` is not 16 bytes
   */
  header(headerCt: Uint8Array): Uint8Array {
    assertBytes('headerCt', headerCt, MAC_SIZE);
    const ctx = this.#ctx;
    if (ctx === null) return (this.#generic as GenericMac).header(headerCt);
    return frameMacEngine().macHeader(ctx, headerCt).slice();
  }

  /**
   * Absorbs a frame body ciphertext and returns the 16-byte frame MAC (a fresh array): absorb
   * the ciphertext, `d = digest`, `seed = AES(mac-secret, d[0:16]) XOR d[0:16]`, absorb seed,
   * `digest[0:16]`.
   * @throws {RangeError} if `frameCt` is not a byte array
   */
  frame(frameCt: Uint8Array): Uint8Array {
    const ctx = this.#ctx;
    if (ctx === null) return (this.#generic as GenericMac).frame(frameCt);
    return frameMacEngine().macFrame(ctx, frameCt).slice();
  }
}

/** The MAC steps over any `KeccakState` and AES block. */
class GenericMac {
  readonly #state: KeccakState;
  readonly #aes: Aes256Block;
  /**
   * The digest of the state as it is now, when known: the frame MAC's last digest, which the next
   * header MAC starts from (nothing is absorbed in between), so each frame costs 3 digests, not 4.
   */
  #digest: Uint8Array | null = null;

  constructor(state: KeccakState, aes: Aes256Block) {
    this.#state = state;
    this.#aes = aes;
  }

  header(headerCt: Uint8Array): Uint8Array {
    const digest = this.#digest ?? this.#state.digest();
    this.#digest = null;
    const seed = this.#aes.encryptBlock(digest.subarray(0, MAC_SIZE));
    for (let i = 0; i < MAC_SIZE; i++) {
      seed[i] = (seed[i] as number) ^ (headerCt[i] as number);
    }
    return this.#state.update(seed).digest().subarray(0, MAC_SIZE);
  }

  frame(frameCt: Uint8Array): Uint8Array {
    const d = this.#state.update(frameCt).digest();
    const seed = this.#aes.encryptBlock(d.subarray(0, MAC_SIZE));
    for (let i = 0; i < MAC_SIZE; i++) {
      seed[i] = (seed[i] as number) ^ (d[i] as number);
    }
    const digest = this.#state.update(seed).digest();
    this.#digest = digest;
    return digest.slice(0, MAC_SIZE);
  }
}
