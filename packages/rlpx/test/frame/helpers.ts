/**
 * Test helpers for the frame codec: a fake MAC hash and matching pairs of codecs.
 * @module
 */
import { type KeccakState, keccak256 } from '@ethp2p/crypto';
import {
  createMacKeccak,
  FrameCodec,
  type FrameCodecOptions,
  type FrameMessage,
  type FrameSecrets,
} from '../../src/frame/index.ts';

/** The fake hash of geth's TestFrameReadWrite: digest always 32 × 0x01, update a no-op. */
export function fakeKeccak(): KeccakState {
  const state: KeccakState = {
    update: () => state,
    digest: () => new Uint8Array(32).fill(1),
  };
  return state;
}

/** A keccak state on the frame-MAC module that has absorbed `seed`. */
export function seededKeccak(seed: string): KeccakState {
  return createMacKeccak().update(new TextEncoder().encode(seed));
}

/** Secrets of one side; the other side's are the same with the MAC states swapped. */
export function secretsFor(side: 'initiator' | 'recipient'): FrameSecrets {
  const aesSecret = keccak256(new TextEncoder().encode('aes'));
  const macSecret = keccak256(new TextEncoder().encode('mac'));
  const [egress, ingress] = side === 'initiator' ? ['mac1', 'mac2'] : ['mac2', 'mac1'];
  return {
    aesSecret,
    macSecret,
    egressMac: seededKeccak(egress),
    ingressMac: seededKeccak(ingress),
  };
}

/** An initiator and a recipient codec whose egress and ingress states match. */
export function codecPair(options: FrameCodecOptions = {}): {
  a: FrameCodec;
  b: FrameCodec;
} {
  return {
    a: new FrameCodec(secretsFor('initiator'), options),
    b: new FrameCodec(secretsFor('recipient'), options),
  };
}

/** Decodes one whole frame through the two-step reader API. */
export function readFrame(codec: FrameCodec, frame: Uint8Array): FrameMessage {
  const bodyLength = codec.reader.readHeader(frame.subarray(0, 32));
  return codec.reader.readBody(frame.subarray(32, 32 + bodyLength));
}

/** Deterministic pseudo-random bytes (xorshift), half compressible when `repetitive`. */
export function testBytes(length: number, seed = 1, repetitive = false): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    if (repetitive && i % 64 >= 32) {
      out[i] = i & 0xff;
      continue;
    }
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Wire bytes of a frame with a one-byte code and a `size`-byte payload, snappy off. */
export function frameLength(size: number): number {
  return 32 + Math.ceil((size + 1) / 16) * 16 + 16;
}

/** Hex of `bytes`, for fast and readable equality checks of large buffers. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** `bytes` cut at the given points (each taken modulo `bytes.length + 1`), in order. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(last, p));
    last = p;
  }
  return parts;
}
