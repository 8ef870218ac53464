/**
 * How one input is made: random bytes, a random domain value, or a seed of a random mode with
 * one to eight stacked mutations (byte-level, RLP-aware, header edits, dictionary tokens), then
 * the mode's `prepare`. Everything is drawn from the generator passed in, so an input seed gives
 * the same input again.
 * @module
 */
import { seededRandom } from '@ethp2p/base';
import { concatBytes } from '@ethp2p/crypto';
import { mutateBytes } from './mutate/bytes.ts';
import { editHeader, mutateRlp } from './mutate/rlp.ts';
import type { FuzzMode, FuzzRandom, FuzzTarget } from './target.ts';

/** A generated input and how it was made. */
export interface GeneratedInput {
  /** The mode whose domain was mutated, or `random` for raw random bytes. */
  readonly mode: string;
  readonly input: Uint8Array;
}

/** A length for random bytes: mostly short, at most 64 KiB and `max` (bombs make bigger inputs). */
function randomLength(random: FuzzRandom, max: number): number {
  const cap = [64, 300, 1500, 65_536][random.intn(4)] as number;
  return random.intn(Math.min(cap, max) + 1);
}

function pick<T>(random: FuzzRandom, from: readonly T[]): T {
  return from[random.intn(from.length)] as T;
}

/** One mutation of `value`, drawing splice partners and tokens from the mode and dictionary. */
function mutateOnce(
  value: Uint8Array,
  random: FuzzRandom,
  mode: FuzzMode,
  target: FuzzTarget,
): Uint8Array {
  const choice = random.intn(10);
  const other = mode.seeds.length > 0 ? pick(random, mode.seeds) : random.bytes(16);
  if (choice < 3) {
    return mutateRlp(value, random, target.maxInputBytes) ?? mutateBytes(value, random, other);
  }
  if (choice < 4) return editHeader(value, random) ?? mutateBytes(value, random, other);
  const dictionary = target.dictionary ?? [];
  if (choice < 5 && dictionary.length > 0) {
    const token = pick(random, dictionary);
    const at = random.intn(value.length + 1);
    const cut = random.intn(2) === 0 ? at : Math.min(value.length, at + token.length);
    return concatBytes(value.subarray(0, at), token, value.subarray(cut));
  }
  return mutateBytes(value, random, other);
}

/** A fresh input for `target`. */
export function generateInput(target: FuzzTarget, random: FuzzRandom): GeneratedInput {
  const roll = random.intn(100);
  if (roll < 4) {
    return { mode: 'random', input: random.bytes(randomLength(random, target.maxInputBytes)) };
  }
  const mode = pick(random, target.modes);
  let value: Uint8Array;
  if (roll < 8 || mode.seeds.length === 0) {
    value = random.bytes(randomLength(random, target.maxInputBytes));
  } else {
    value = pick(random, mode.seeds);
    // 1 mutation half the time, then 2, 3, ... up to 8
    let n = 1;
    while (n < 8 && random.intn(2) === 0) n++;
    for (let i = 0; i < n; i++) value = mutateOnce(value, random, mode, target);
  }
  const input = mode.prepare === undefined ? value : mode.prepare(value, random);
  return { mode: mode.name, input };
}

/**
 * The generator of the input of `seed`: `seededRandom` (xorshift32) with its first outputs
 * skipped, as they stay small for small seeds.
 */
export function inputRandom(seed: number): FuzzRandom {
  const random = seededRandom(seed);
  for (let i = 0; i < 8; i++) random.intn(2);
  return random;
}
