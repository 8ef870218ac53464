/**
 * The "native ceiling" of the rlpx throughput rows: the crypto an RLPx one-way flow must do per
 * frame, at both ends, done with `node:crypto` alone and no framing, sockets or allocation of
 * frames. Per frame the sender encrypts header and body with AES-256-CTR and computes the header
 * and frame MACs; the receiver computes the same two MACs on its ingress state and decrypts the
 * same bytes. A MAC is the running keccak-256 state with AES-256 seeds (rlpx.md "MAC"): per
 * frame, 3 non-consuming digests (the header MAC starts from the previous frame MAC's digest), 2
 * single-block AES-256 encryptions, and absorbs of the body ciphertext and of two 16-byte seeds.
 * Each end makes one CTR call per frame (header and body are contiguous in the keystream). This
 * is the least work the protocol allows, so it bounds what any implementation can reach.
 *
 * `node:crypto` (OpenSSL 3.0) has no keccak-256, so SHA3-256 stands in for it: the same
 * Keccak-f[1600] sponge with the same rate (136 bytes), so the same permutations per byte; only the
 * padding byte of the final block differs, which costs nothing. A digest is `copy().digest()`, as
 * the frame MAC needs the state again afterwards. OpenSSL's permutation is assembly, faster than
 * any keccak-256 a Node 20 program can call (OpenSSL only has KECCAK-256 from 3.2 on), so the
 * same loop also runs with the keccak-256 state the frame MACs use (`createMacKeccak`, on the
 * frame-MAC WebAssembly module) in its place: the "keccak ceiling", the least the same crypto
 * costs with the keccak-256 ethp2p actually has.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#mac
 * @module
 */
import { type Cipher, createCipheriv, createHash, randomFillSync } from 'node:crypto';
import { createMacKeccak } from '@ethp2p/rlpx/frame';

/** Which sponge the MACs run on: OpenSSL's SHA3-256 or ethp2p's frame-MAC keccak-256. */
export type CeilingHash = 'sha3' | 'keccak';

/** A running sponge whose digest does not consume it. */
interface MacState {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

function macState(hash: CeilingHash, seed: Uint8Array): MacState {
  if (hash === 'keccak') return createMacKeccak().update(seed);
  const state = createHash('sha3-256').update(seed);
  return {
    update: (data) => state.update(data),
    digest: () => state.copy().digest(),
  };
}

/** Bytes of a header, a MAC and an AES block. */
const BLOCK = 16;

/** One end's crypto for one direction: its CTR keystream, its MAC state and the MAC cipher. */
class CryptoEnd {
  readonly #ctr: Cipher;
  readonly #ecb: Cipher;
  readonly #mac: MacState;
  /** The digest of the MAC state as it is now, when known. */
  #last: Uint8Array | null = null;

  constructor(aesKey: Uint8Array, macKey: Uint8Array, mac: MacState) {
    this.#ctr = createCipheriv('aes-256-ctr', aesKey, new Uint8Array(BLOCK));
    this.#ecb = createCipheriv('aes-256-ecb', macKey, null).setAutoPadding(false);
    this.#mac = mac;
  }

  /** AES-256-CTR over `data` (encryption and decryption alike). */
  ctr(data: Uint8Array): Buffer {
    return this.#ctr.update(data);
  }

  /** The header MAC of a 16-byte header ciphertext. */
  headerMac(headerCt: Uint8Array): Uint8Array {
    const seed = this.#ecb.update((this.#last ?? this.#digest()).subarray(0, BLOCK));
    for (let i = 0; i < BLOCK; i++) seed[i] = (seed[i] as number) ^ (headerCt[i] as number);
    this.#mac.update(seed);
    return this.#digest().subarray(0, BLOCK);
  }

  /** The frame MAC of a body ciphertext. */
  frameMac(bodyCt: Uint8Array): Uint8Array {
    this.#mac.update(bodyCt);
    const d = this.#digest();
    const seed = this.#ecb.update(d.subarray(0, BLOCK));
    for (let i = 0; i < BLOCK; i++) seed[i] = (seed[i] as number) ^ (d[i] as number);
    this.#mac.update(seed);
    const last = this.#digest();
    this.#last = last;
    return last.subarray(0, BLOCK);
  }

  #digest(): Uint8Array {
    this.#last = null;
    return this.#mac.digest();
  }
}

/** A sender and a receiver whose keys and MAC states match. */
export interface CeilingPair {
  /** Does both ends' crypto for one frame: `plain` is its header (16 bytes) then its body. */
  frame(plain: Uint8Array): void;
}

/** A fresh sender/receiver pair with random keys, its MACs on `hash`. */
export function ceilingPair(hash: CeilingHash = 'sha3'): CeilingPair {
  const aes = randomFillSync(new Uint8Array(32));
  const mac = randomFillSync(new Uint8Array(32));
  const seed = randomFillSync(new Uint8Array(32));
  const sender = new CryptoEnd(aes, mac, macState(hash, seed));
  const receiver = new CryptoEnd(aes, mac, macState(hash, seed));
  return {
    frame(plain) {
      const ct = sender.ctr(plain);
      const headerCt = ct.subarray(0, BLOCK);
      const bodyCt = ct.subarray(BLOCK);
      sender.headerMac(headerCt);
      sender.frameMac(bodyCt);
      receiver.headerMac(headerCt);
      receiver.frameMac(bodyCt);
      receiver.ctr(ct);
    },
  };
}

/** Bounds of one ceiling measurement, like a flow's. */
export interface CeilingOptions {
  /** Payload bytes of each message. */
  readonly size: number;
  /** Payload bytes to process at most. */
  readonly maxBytes: number;
  /** Milliseconds to run at most. */
  readonly maxMs: number;
  /** The MACs' sponge (default `'sha3'`, the native ceiling). */
  readonly hash?: CeilingHash;
}

/**
 * Runs the ceiling for messages of `size` bytes within the bounds and returns the payload bytes
 * done: frames whose body is a one-byte code plus the payload, zero-padded to 16 bytes, as the
 * flow rows send. The caller times it.
 */
export function ceilingBytes(options: CeilingOptions): number {
  const pair = ceilingPair(options.hash);
  const plain = randomFillSync(new Uint8Array(BLOCK + ((options.size + 1 + 15) & ~15)));
  const started = performance.now();
  let bytes = 0;
  while (bytes < options.maxBytes && performance.now() - started < options.maxMs) {
    pair.frame(plain);
    bytes += options.size;
  }
  return bytes;
}
