/**
 * Base32 of RFC 4648 (standard alphabet) without padding, as tree hashes and link keys use it.
 * Decoding accepts non-zero unused bits in the last character, as Go's decoder does (geth's
 * test vectors rely on it); it refuses lengths no byte string encodes to and foreign characters.
 * Pure: no I/O.
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-6
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));
/** Text lengths mod 8 that no byte string encodes to. */
const BAD_REMAINDERS = new Set([1, 3, 6]);

/** Unpadded base32 of `bytes`. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The bytes of unpadded base32 `text`, or undefined if it is not such text. */
export function base32Decode(text: string): Uint8Array | undefined {
  if (BAD_REMAINDERS.has(text.length % 8)) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const c of text) {
    const v = VALUES.get(c);
    if (v === undefined) return undefined;
    value = ((value << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/** How many bytes unpadded base32 text of `chars` characters decodes to (Go `DecodedLen`). */
export function base32DecodedLength(chars: number): number {
  return Math.floor((chars * 5) / 8);
}
