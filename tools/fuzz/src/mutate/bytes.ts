/**
 * Byte-level mutations: bit flips, interesting bytes, truncation, deletion, insertion,
 * duplication, overwrites and splicing with another seed. Each returns a new array.
 * @module
 */
import { concatBytes as concat } from '@ethp2p/crypto';
import type { FuzzRandom } from '../target.ts';

/** Bytes that sit on RLP header boundaries, plus the extremes. */
const INTERESTING: readonly number[] = [
  0x00, 0x01, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xc1, 0xf7, 0xf8, 0xff,
];

/** A mutation of `data`; `other` is another valid value to splice with. */
type ByteMutation = (data: Uint8Array, random: FuzzRandom, other: Uint8Array) => Uint8Array;

/** A length in [1, max], small lengths far more likely. */
function smallLength(random: FuzzRandom, max: number): number {
  const cap = Math.max(1, max);
  return 1 + random.intn(Math.min(cap, [1, 4, 16, 256][random.intn(4)] as number));
}

const flipBit: ByteMutation = (data, random) => {
  if (data.length === 0) return random.bytes(1);
  const out = data.slice();
  const i = random.intn(out.length);
  out[i] = (out[i] as number) ^ (1 << random.intn(8));
  return out;
};

const setByte: ByteMutation = (data, random) => {
  if (data.length === 0) return random.bytes(1);
  const out = data.slice();
  out[random.intn(out.length)] =
    random.intn(2) === 0
      ? (INTERESTING[random.intn(INTERESTING.length)] as number)
      : random.intn(256);
  return out;
};

const truncate: ByteMutation = (data, random) => data.slice(0, random.intn(data.length + 1));

const deleteRange: ByteMutation = (data, random) => {
  if (data.length === 0) return data;
  const at = random.intn(data.length);
  const n = smallLength(random, data.length - at);
  return concat(data.subarray(0, at), data.subarray(at + n));
};

const insertBytes: ByteMutation = (data, random) => {
  const at = random.intn(data.length + 1);
  return concat(data.subarray(0, at), random.bytes(smallLength(random, 64)), data.subarray(at));
};

const duplicateRange: ByteMutation = (data, random) => {
  if (data.length === 0) return data;
  const at = random.intn(data.length);
  const n = smallLength(random, data.length - at);
  const part = data.subarray(at, at + n);
  return concat(data.subarray(0, at + n), part, data.subarray(at + n));
};

const overwriteRun: ByteMutation = (data, random) => {
  if (data.length === 0) return data;
  const out = data.slice();
  const at = random.intn(out.length);
  const value = random.intn(2) === 0 ? 0xff : 0x00;
  out.fill(value, at, Math.min(out.length, at + 1 + random.intn(8)));
  return out;
};

const splice: ByteMutation = (data, random, other) =>
  concat(
    data.subarray(0, random.intn(data.length + 1)),
    other.subarray(random.intn(other.length + 1)),
  );

const BYTE_MUTATIONS: readonly ByteMutation[] = [
  flipBit,
  flipBit,
  setByte,
  setByte,
  truncate,
  deleteRange,
  insertBytes,
  duplicateRange,
  overwriteRun,
  splice,
];

/** One random byte-level mutation of `data`. */
export function mutateBytes(data: Uint8Array, random: FuzzRandom, other: Uint8Array): Uint8Array {
  const m = BYTE_MUTATIONS[random.intn(BYTE_MUTATIONS.length)] as ByteMutation;
  return m(data, random, other);
}
