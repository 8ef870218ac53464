/**
 * RLPx framing constants.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */

/** Largest frame-size a header can carry and the largest message we accept: 2^24 − 1 bytes (uint24). */
export const MAX_FRAME_SIZE = 0xffffff;

/** Bytes of the encrypted header (uint24 frame-size, `C2 80 80`, zero padding). */
export const HEADER_SIZE = 16;

/** Bytes of a MAC on the wire. */
export const MAC_SIZE = 16;

/** Bytes read before anything else: header ciphertext then header MAC. */
export const HEADER_WITH_MAC_SIZE: number = HEADER_SIZE + MAC_SIZE;

/** Header-data, RLP `[0, 0]` (capability-id, context-id): written, never read (geth too). */
export const HEADER_DATA: Uint8Array = Uint8Array.of(0xc2, 0x80, 0x80);

/** `n` rounded up to a multiple of 16 (the AES block). */
export function roundUp16(n: number): number {
  return (n + 15) & ~15;
}
