/**
 * CRC-32 with the IEEE 802.3 polynomial (reflected 0xedb88320), as Go's `hash/crc32` IEEE table
 * computes it. Written here because `zlib.crc32` only exists from Node 20.15 / 22.2.
 * @module
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `data`, continuing from the checksum `crc` of earlier data (0 to start), so
 * `crc32(b, crc32(a)) === crc32(a ‖ b)` (Go `crc32.Update`). The result is an unsigned 32-bit
 * number.
 */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (const byte of data) c = (TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}
