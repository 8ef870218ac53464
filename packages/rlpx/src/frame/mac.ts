/**
 * The per-direction RLPx frame MAC: a running keccak-256 state updated with AES-256 "seeds"
 * (geth calls it the legacy contraption).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#mac
 * @module
 */
import type { Aes256Block, KeccakState } from '@ethp2p/crypto';
import { MAC_SIZE } from './constants.ts';

/**
 * One direction's MAC state (egress or ingress). It owns the keccak state it is given: every call
 * absorbs into it, so the two sides of a connection must call it in the same order. Not safe to
 * share between concurrent writers; the codec that holds it serialises its use.
 */
export class FrameMac {
  readonly #state: KeccakState;
  readonly #aes: Aes256Block;
  /**
   * The digest of the state as it is now, when known: the frame MAC's last digest, which the next
   * header MAC starts from (nothing is absorbed in between), so each frame costs 3 digests, not 4.
   */
  #digest: Uint8Array | null = null;

  /**
   * @param state the running keccak-256 state from the handshake (egress or ingress MAC)
   * @param aes the single-block AES-256 cipher keyed with the mac-secret
   */
  constructor(state: KeccakState, aes: Aes256Block) {
    this.#state = state;
    this.#aes = aes;
  }

  /**
   * Absorbs a 16-byte header ciphertext and returns the 16-byte header MAC:
   * `seed = AES(mac-secret, digest[0:16]) XOR header-ct`, absorb seed, `digest[0:16]`.
   */
  header(headerCt: Uint8Array): Uint8Array {
    const digest = this.#digest ?? this.#state.digest();
    this.#digest = null;
    const seed = this.#aes.encryptBlock(digest.subarray(0, MAC_SIZE));
    // `seed` is a fresh block owned by us: XOR in place, no scratch copy.
    for (let i = 0; i < MAC_SIZE; i++) {
      seed[i] = (seed[i] as number) ^ (headerCt[i] as number);
    }
    return this.#state.update(seed).digest().subarray(0, MAC_SIZE);
  }

  /**
   * Absorbs a frame body ciphertext and returns the 16-byte frame MAC: absorb the ciphertext,
   * `d = digest`, `seed = AES(mac-secret, d[0:16]) XOR d[0:16]`, absorb seed, `digest[0:16]`.
   */
  frame(frameCt: Uint8Array): Uint8Array {
    const d = this.#state.update(frameCt).digest();
    const seed = this.#aes.encryptBlock(d.subarray(0, MAC_SIZE));
    for (let i = 0; i < MAC_SIZE; i++) {
      seed[i] = (seed[i] as number) ^ (d[i] as number);
    }
    const digest = this.#state.update(seed).digest();
    this.#digest = digest;
    // A copy: the caller may keep or change it, the kept digest must not change.
    return digest.slice(0, MAC_SIZE);
  }
}
