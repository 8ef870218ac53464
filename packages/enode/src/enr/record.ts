/**
 * The `Enr` class: an immutable, signed and verified Ethereum Node Record (EIP-778) with the
 * "v4" identity scheme.
 * @see https://eips.ethereum.org/EIPS/eip-778
 * @module
 */
import { assertBytes, equalBytes, keccak256, publicKey } from '@ethp2p/crypto';
import { EnrError } from '../errors.ts';
import type { EnrPair, EnrParts } from './codec.ts';
import { decodeEnrParts, ENR_MAX_SIZE_BYTES, encodeEnrParts, MAX_SEQ, sortPairs } from './codec.ts';
import type { EnrValue } from './entries.ts';
import { encodeEntry, readIp, readPort, valueBytes } from './entries.ts';
import { decodeEnrText, encodeEnrText } from './text.ts';
import { findPair, signV4, v4IdentityPairs, verifyV4 } from './v4-scheme.ts';

/** What {@link Enr.sign} needs besides the key: the sequence number and the entries. */
export interface EnrInit {
  /** Sequence number, 0 to 2^64 − 1. */
  readonly seq: bigint;
  /**
   * Entries other than the identity ones. `id` and `secp256k1` are set from the key and may only
   * be given if they agree with it. `undefined` values are skipped.
   */
  readonly entries?: Readonly<Record<string, EnrValue | undefined>>;
}

/** Verifies parts decoded from `bytes` and wraps them; set in {@link Enr}'s static block. */
let fromDecoded: (parts: EnrParts, bytes: Uint8Array) => Enr;

/**
 * An Ethereum Node Record that has been verified under the "v4" scheme (decoded) or signed here.
 * Immutable: to change an entry, sign a new record with a higher `seq`. Keys are exposed as
 * Latin-1 strings (one char per key byte; every key in use is ASCII). Standard entries are read
 * lazily: a malformed `ip`, `ip6` or port value throws {@link EnrError} `INVALID_ENTRY` from its
 * getter, not from {@link Enr.decode}, as in geth, so records with odd entries still decode.
 */
export class Enr {
  /** The sequence number. */
  readonly seq: bigint;
  /** The 64-byte r‖s "v4" signature. */
  readonly signature: Uint8Array;
  /** The 64-byte uncompressed public key (X‖Y) from the `secp256k1` entry. */
  readonly publicKey: Uint8Array;
  /** The 32-byte node ID: keccak256 of {@link Enr.publicKey}. */
  readonly nodeId: Uint8Array;
  readonly #pairs: readonly EnrPair[];
  readonly #bytes: Uint8Array;

  static {
    fromDecoded = (parts, bytes) => new Enr(parts, verifyV4(parts), Uint8Array.from(bytes));
  }

  private constructor(parts: EnrParts, publicKey: Uint8Array, bytes: Uint8Array) {
    this.seq = parts.seq;
    this.signature = parts.signature;
    this.#pairs = parts.pairs;
    this.publicKey = publicKey;
    this.nodeId = keccak256(publicKey);
    this.#bytes = bytes;
  }

  /**
   * Decodes and verifies the RLP of a record.
   * @throws {EnrError} for anything that is not a valid "v4" record of at most 300 bytes
   * @example `const enr = Enr.decode(bytes); enr.udp // 30303`
   */
  static decode(bytes: Uint8Array): Enr {
    assertBytes('bytes', bytes);
    const parts = decodeEnrParts(bytes); // checks the size before anything else
    return fromDecoded(parts, bytes);
  }

  /** Decodes and verifies the `enr:` text form. @throws {EnrError} as {@link Enr.decode}, or INVALID_TEXT */
  static decodeText(text: string): Enr {
    return Enr.decode(decodeEnrText(text));
  }

  /**
   * Builds and signs a record with the "v4" scheme.
   * @throws {EnrError} TOO_LARGE if the record exceeds 300 bytes; {TypeError|RangeError} on bad input
   * @example `Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1', udp: 30303 } }, privateKey)`
   */
  static sign(init: EnrInit, privateKey: Uint8Array): Enr {
    assertBytes('privateKey', privateKey, 32);
    const seq = init.seq;
    if (typeof seq !== 'bigint') throw new TypeError(`seq: expected bigint, got ${typeof seq}`);
    if (seq < 0n || seq > MAX_SEQ) throw new RangeError(`seq: expected 0 to 2^64-1, got ${seq}`);
    const pub = publicKey(privateKey);
    const identity = v4IdentityPairs(pub);
    const pairs: EnrPair[] = [...identity];
    for (const [key, value] of Object.entries(init.entries ?? {})) {
      if (value === undefined) continue;
      const raw = encodeEntry(key, value);
      const fixed = findPair(identity, key);
      if (fixed !== undefined) {
        if (!equalBytes(raw, fixed)) throw new RangeError(`entries.${key}: does not match the key`);
        continue;
      }
      pairs.push([key, raw]);
    }
    sortPairs(pairs);
    const signature = signV4(seq, pairs, privateKey);
    const parts: EnrParts = { signature, seq, pairs };
    const bytes = encodeEnrParts(parts);
    if (bytes.length > ENR_MAX_SIZE_BYTES) {
      throw new EnrError('TOO_LARGE', `record bigger than ${ENR_MAX_SIZE_BYTES} bytes`);
    }
    return new Enr(parts, pub, bytes);
  }

  /** The identity scheme name (always "v4" for a verified record). */
  get id(): string {
    return new TextDecoder().decode(this.getBytes('id'));
  }

  /** The 33-byte compressed public key of the `secp256k1` entry. */
  get secp256k1(): Uint8Array {
    return this.getBytes('secp256k1') ?? new Uint8Array(0);
  }

  /** The `ip` entry as dotted IPv4 text. @throws {EnrError} INVALID_ENTRY unless 4 bytes */
  get ip(): string | undefined {
    return this.#read('ip', (raw) => readIp('ip', raw));
  }

  /** The `ip6` entry as RFC 5952 IPv6 text. @throws {EnrError} INVALID_ENTRY unless 16 bytes */
  get ip6(): string | undefined {
    return this.#read('ip6', (raw) => readIp('ip6', raw));
  }

  /** The `tcp` port. @throws {EnrError} INVALID_ENTRY unless a uint16 */
  get tcp(): number | undefined {
    return this.#read('tcp', (raw) => readPort('tcp', raw));
  }

  /** The `udp` port. @throws {EnrError} INVALID_ENTRY unless a uint16 */
  get udp(): number | undefined {
    return this.#read('udp', (raw) => readPort('udp', raw));
  }

  /** The `tcp6` port. @throws {EnrError} INVALID_ENTRY unless a uint16 */
  get tcp6(): number | undefined {
    return this.#read('tcp6', (raw) => readPort('tcp6', raw));
  }

  /** The `udp6` port. @throws {EnrError} INVALID_ENTRY unless a uint16 */
  get udp6(): number | undefined {
    return this.#read('udp6', (raw) => readPort('udp6', raw));
  }

  /** The raw RLP encoding of the value under `key` (a copy), or `undefined`. */
  get(key: string): Uint8Array | undefined {
    const raw = findPair(this.#pairs, key);
    return raw === undefined ? undefined : Uint8Array.from(raw);
  }

  /**
   * The bytes of a byte-string value under `key` (a copy: the record stays immutable).
   * @throws {EnrError} INVALID_ENTRY if it is a list
   */
  getBytes(key: string): Uint8Array | undefined {
    return this.#read(key, (raw) => valueBytes(key, raw).slice());
  }

  /** Whether the record has an entry under `key`. */
  has(key: string): boolean {
    return findPair(this.#pairs, key) !== undefined;
  }

  /** The keys in order (Latin-1 strings). */
  keys(): string[] {
    return this.#pairs.map(([k]) => k);
  }

  /** All entries in key order as `[key, raw RLP value]` (copies). */
  entries(): Array<[string, Uint8Array]> {
    return this.#pairs.map(([k, raw]) => [k, Uint8Array.from(raw)]);
  }

  /** The RLP encoding of the record (a copy); the exact bytes it was decoded from. */
  encode(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** The `enr:` text form. */
  encodeText(): string {
    return encodeEnrText(this.#bytes);
  }

  /** Whether `other` has the same encoding. */
  equals(other: Enr): boolean {
    return equalBytes(this.#bytes, other.#bytes);
  }

  /** The `enr:` text form. */
  toString(): string {
    return this.encodeText();
  }

  #read<T>(key: string, read: (raw: Uint8Array) => T): T | undefined {
    const raw = findPair(this.#pairs, key);
    return raw === undefined ? undefined : read(raw);
  }
}

/**
 * The verified record for `parts`, which {@link decodeEnrParts} returned for `bytes`: what
 * {@link Enr.decode} does after decoding, for callers that already decoded the bytes. Not part
 * of the package API.
 * @throws {EnrError} UNKNOWN_SCHEME, INVALID_ENTRY or INVALID_SIGNATURE
 */
export function enrFromDecoded(parts: EnrParts, bytes: Uint8Array): Enr {
  return fromDecoded(parts, bytes);
}
