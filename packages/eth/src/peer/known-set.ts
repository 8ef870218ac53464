/**
 * A bounded set of hashes a peer is known to have, so nothing is sent to it twice (geth
 * `knownCache`). Full, it forgets its oldest entries first.
 *
 * A node keeps one of 32768 transaction hashes per peer, and on a busy network every one of
 * them fills, so it is stored compactly: each hash is reduced to a 64-bit fingerprint (two
 * 32-bit lanes of a seeded mix of all its bytes) held in a ring of `Uint32Array` words in
 * insertion order, indexed by an open-addressing table of ring positions. A full set of 32768
 * costs 512 KiB (a `Set` of hex strings cost about 3.5 MiB), an empty one a few hundred bytes
 * (its arrays are made on the first add and grow by doubling up to the capacity), and a
 * lookup allocates nothing. Two
 * different hashes share a fingerprint with probability 2⁻⁶⁴, so a full set answers `has`
 * wrongly for about one lookup in 5·10¹⁴ (the cost: a transaction not sent to that peer). The
 * seed is drawn per set, so a peer cannot choose hashes that crowd one region of the table.
 * @module
 */
import { checkPositiveInt, type Random, systemRandom } from '@ethp2p/base';

/** Entries a set makes room for on its first add; it doubles from there up to its capacity. */
const INITIAL_ROOM = 4;
/** An empty slot of the index. */
const EMPTY = -1;
/** The arrays of every set that has not added anything yet (never written: adding grows first). */
const NO_RING = new Uint32Array(0);
const NO_SLOTS = new Int32Array(1).fill(EMPTY);

/** A set of hashes holding at most `capacity` of them, oldest evicted first. */
export class KnownSet {
  readonly capacity: number;
  /** Seeds of the two fingerprint lanes. */
  readonly #seedA: number;
  readonly #seedB: number;
  /** Fingerprints in insertion order, two words each, as a ring starting at `#head`. */
  #ring: Uint32Array;
  /** Ring room in entries (a power of two until it reaches the capacity). */
  #room: number;
  #head = 0;
  #size = 0;
  /** Open-addressing index: ring positions, or {@link EMPTY}; its length is a power of two. */
  #slots: Int32Array;
  /** Fingerprint of the last `#fingerprint` call (lane A, lane B). */
  #a = 0;
  #b = 0;

  /**
   * @param random draws the fingerprint seeds (default the system's CSPRNG)
   * @throws {RangeError} unless `capacity` is a positive integer
   */
  constructor(capacity: number, random: Random = systemRandom) {
    this.capacity = checkPositiveInt('capacity', capacity);
    this.#seedA = random.intn(0x1_0000_0000);
    this.#seedB = random.intn(0x1_0000_0000);
    this.#room = 0;
    this.#ring = NO_RING;
    this.#slots = NO_SLOTS;
  }

  /** How many hashes the set holds. */
  get size(): number {
    return this.#size;
  }

  /** Whether `hash` is in the set. */
  has(hash: Uint8Array): boolean {
    this.#fingerprint(hash);
    return this.#find() >= 0;
  }

  /**
   * Adds `hashes`, evicting the oldest entries to stay within the capacity. A hash already in
   * the set keeps its place (as geth's `knownCache`, adding does not refresh it).
   */
  add(...hashes: Uint8Array[]): void {
    for (const hash of hashes) {
      this.#fingerprint(hash);
      if (this.#find() >= 0) continue;
      if (this.#size === this.capacity) this.#evictOldest();
      else if (this.#size === this.#room) this.#grow();
      const pos = (this.#head + this.#size) % this.#room;
      this.#ring[2 * pos] = this.#a;
      this.#ring[2 * pos + 1] = this.#b;
      this.#size++;
      this.#insertSlot(pos);
    }
  }

  /** Forgets everything (and gives back the room it grew). */
  clear(): void {
    this.#room = 0;
    this.#ring = NO_RING;
    this.#slots = NO_SLOTS;
    this.#head = 0;
    this.#size = 0;
  }

  /** Sets `#a` and `#b` to the fingerprint of `hash`: every byte goes into both lanes. */
  #fingerprint(hash: Uint8Array): void {
    let a = this.#seedA;
    let b = this.#seedB;
    const n = hash.length;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const w =
        ((hash[i] as number) |
          ((hash[i + 1] as number) << 8) |
          ((hash[i + 2] as number) << 16) |
          ((hash[i + 3] as number) << 24)) >>>
        0;
      a = Math.imul(rotl(a ^ w, 13), 0x85eb_ca6b) + 0xe654_6b64;
      b = Math.imul(rotl(b ^ w, 17), 0xc2b2_ae35) + 0x27d4_eb2f;
    }
    for (; i < n; i++) {
      a = Math.imul(a ^ (hash[i] as number), 0x0100_0193);
      b = Math.imul(b ^ (hash[i] as number), 0x85eb_ca77);
    }
    this.#a = fmix(a ^ n);
    this.#b = fmix(b ^ n);
  }

  /** The slot holding the current fingerprint, or -1. */
  #find(): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    const ring = this.#ring;
    for (let s = this.#a & mask; ; s = (s + 1) & mask) {
      const pos = slots[s] as number;
      if (pos === EMPTY) return -1;
      if (ring[2 * pos] === this.#a && ring[2 * pos + 1] === this.#b) return s;
    }
  }

  /** Indexes ring position `pos` under the fingerprint stored there. */
  #insertSlot(pos: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let s = (this.#ring[2 * pos] as number) & mask;
    while (slots[s] !== EMPTY) s = (s + 1) & mask;
    slots[s] = pos;
  }

  /** Drops the oldest entry from the ring and the index. */
  #evictOldest(): void {
    const head = this.#head;
    // #find looks for #a/#b: point them at the oldest entry, then back at the caller's.
    const a = this.#a;
    const b = this.#b;
    this.#a = this.#ring[2 * head] as number;
    this.#b = this.#ring[2 * head + 1] as number;
    this.#deleteSlot(this.#find());
    this.#head = (head + 1) % this.#room;
    this.#size--;
    this.#a = a;
    this.#b = b;
  }

  /** Empties slot `s`, moving later entries of its probe run back so none is cut off. */
  #deleteSlot(s: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let hole = s;
    for (let j = (s + 1) & mask; ; j = (j + 1) & mask) {
      const pos = slots[j] as number;
      if (pos === EMPTY) break;
      const home = (this.#ring[2 * pos] as number) & mask;
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        slots[hole] = pos;
        hole = j;
      }
    }
    slots[hole] = EMPTY;
  }

  /** Doubles the ring (up to the capacity) and rebuilds the index. */
  #grow(): void {
    const room = Math.min(Math.max(INITIAL_ROOM, 2 * this.#room), this.capacity);
    const ring = new Uint32Array(2 * room);
    for (let i = 0; i < this.#size; i++) {
      const from = (this.#head + i) % this.#room;
      ring[2 * i] = this.#ring[2 * from] as number;
      ring[2 * i + 1] = this.#ring[2 * from + 1] as number;
    }
    this.#ring = ring;
    this.#room = room;
    this.#head = 0;
    this.#slots = new Int32Array(slotsFor(room)).fill(EMPTY);
    for (let i = 0; i < this.#size; i++) this.#insertSlot(i);
  }
}

/** Index slots for `room` entries: a power of two at least twice as large (load ≤ 1/2). */
function slotsFor(room: number): number {
  let n = 4;
  while (n < 2 * room) n *= 2;
  return n;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** murmur3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85eb_ca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2_ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
