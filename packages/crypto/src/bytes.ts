/**
 * Small byte helpers shared by every ethp2p package. Bytes are always `Uint8Array`.
 * @module
 */

/**
 * Lower-case hex of `bytes`, without a 0x prefix. The result is one flat string: hex built by
 * appending two characters at a time is a V8 rope of ~30 nodes for a 32-byte hash (~1 KiB
 * instead of ~90 bytes), and such strings live on as Map and Set keys (known hashes, pools).
 */
export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex with or without a 0x prefix. @throws {TypeError} on odd length or non-hex input */
export function hexToBytes(hex: string): Uint8Array {
  const s = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (s.length % 2 !== 0) throw new TypeError(`hex: expected even length, got ${s.length}`);
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new TypeError('hex: expected hex digits');
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** One new array holding all `parts` in order. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Whether `a` and `b` hold the same bytes. Not constant-time: never use it on secrets. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `a` and `b` hold the same bytes, in time that depends only on the length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Throws unless `value` is a Uint8Array of exactly `length` bytes (any length when omitted). */
export function assertBytes(
  field: string,
  value: unknown,
  length?: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${field}: expected Uint8Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${field}: expected ${length} bytes, got ${value.length}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
