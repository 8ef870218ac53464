/**
 * An independent, deliberately naive transcription of devp2p rlpx.md "Framing" and "MAC" using
 * node:crypto directly, to cross-check the codec and to build frames the codec never writes
 * (an empty body, a bad message code, a raw snappy payload).
 * @module
 */
import { createCipheriv } from 'node:crypto';
import { createKeccak256, type KeccakState } from '@ethp2p/crypto';

/** One direction of the spec's frame writer, with arbitrary body plaintext. */
export class ReferenceWriter {
  readonly #ctr;
  readonly #macSecret: Uint8Array;
  readonly #mac: KeccakState;

  constructor(aesSecret: Uint8Array, macSecret: Uint8Array, mac: KeccakState) {
    this.#ctr = createCipheriv('aes-256-ctr', aesSecret, new Uint8Array(16));
    this.#macSecret = macSecret;
    this.#mac = mac;
  }

  #aes(block: Uint8Array): Uint8Array {
    const c = createCipheriv('aes-256-ecb', this.#macSecret, null).setAutoPadding(false);
    return new Uint8Array(c.update(block));
  }

  /** A frame whose header announces `size` and whose body plaintext is `body` (padded here). */
  frame(body: Uint8Array, size: number = body.length): Uint8Array {
    const header = new Uint8Array(16);
    header.set([size >> 16, (size >> 8) & 0xff, size & 0xff, 0xc2, 0x80, 0x80]);
    const headerCt = new Uint8Array(this.#ctr.update(header));
    const hm = this.#aes(this.#mac.digest().slice(0, 16)).map((b, i) => b ^ (headerCt[i] ?? 0));
    const headerMac = this.#mac.update(hm).digest().slice(0, 16);
    const padded = new Uint8Array(Math.ceil(body.length / 16) * 16);
    padded.set(body);
    const bodyCt = new Uint8Array(this.#ctr.update(padded));
    const d = this.#mac.update(bodyCt).digest();
    const seed = this.#aes(d.slice(0, 16)).map((b, i) => b ^ (d[i] ?? 0));
    const frameMac = this.#mac.update(seed).digest().slice(0, 16);
    return new Uint8Array(Buffer.concat([headerCt, headerMac, bodyCt, frameMac]));
  }
}

/** A reference writer that the recipient side of `codecPair()` can read. */
export function referenceInitiator(aesSecret: Uint8Array, macSecret: Uint8Array): ReferenceWriter {
  return new ReferenceWriter(
    aesSecret,
    macSecret,
    createKeccak256().update(new TextEncoder().encode('mac1')),
  );
}
