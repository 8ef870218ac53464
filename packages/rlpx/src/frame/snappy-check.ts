/**
 * A structural check of a snappy raw block without decoding it: `snappyjs` neither rejects a
 * block that decodes to fewer bytes than declared (it zero-fills) nor one that writes past the
 * end (it silently drops the rest), so its input is checked here first. The napi decoder is
 * strict on its own.
 * @see https://github.com/google/snappy/blob/main/format_description.txt
 * @module
 */

/**
 * Whether the elements after the varint (which ends at `start`) decode to exactly `length`
 * bytes, every literal fits in the block and every copy points inside the output so far.
 */
export function snappyBlockIsWellFormed(block: Uint8Array, start: number, length: number): boolean {
  const end = block.length;
  let pos = start;
  let out = 0;
  while (pos < end) {
    const tag = block[pos] as number;
    pos++;
    let len: number;
    if ((tag & 3) === 0) {
      len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60; // 1..4 little-endian length bytes
        if (pos + extra > end) return false;
        len = readLe(block, pos, extra) + 1;
        pos += extra;
      }
      if (pos + len > end) return false;
      pos += len;
    } else {
      const offsetBytes = (tag & 3) === 1 ? 1 : (tag & 3) === 2 ? 2 : 4;
      if (pos + offsetBytes > end) return false;
      let offset = readLe(block, pos, offsetBytes);
      if (offsetBytes === 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset += (tag >>> 5) * 256;
      } else {
        len = (tag >>> 2) + 1;
      }
      pos += offsetBytes;
      if (offset === 0 || offset > out) return false;
    }
    out += len;
    if (out > length) return false;
  }
  return out === length;
}

function readLe(bytes: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = count - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] as number);
  return v;
}
