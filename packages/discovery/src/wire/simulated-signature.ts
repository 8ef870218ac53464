/**
 * The simulated identity of discv4 (issue 18): in place of the 65-byte signature a packet
 * carries its sender's 64-byte public key and a marker byte, so that sealing costs one keccak256
 * (the packet hash) and no secp256k1 at all, and opening (whose receiver may trust the hash:
 * `openPacket`'s `trustHash`) no hashing either. It lets one process run thousands of nodes on
 * an in-memory network; it proves nothing about the sender and must never reach a real socket
 * (`DiscoveryV4` refuses it on one). The real envelope (`sealPacket`, `recoverSender`) is
 * untouched. A simulated packet fails real recovery (its recovery id is not 0 or 1), and a real
 * one fails {@link simulatedSender} (its last signature byte is not the marker). Pure.
 * @module
 */
import { keccak256 } from '@ethp2p/crypto';
import { HEADER_SIZE_BYTES } from './constants.ts';
import { WireError } from './errors.ts';
import { HASH_BYTES } from './signature.ts';

/** Bytes of an uncompressed public key without its prefix. */
const PUBLIC_KEY_BYTES = 64;

/**
 * The last byte of the signature field of a simulated packet, where a real signature has its
 * recovery id (0 or 1).
 */
export const SIMULATED_MARKER = 0xff;

/**
 * Writes `publicKey` and the marker into the signature field of `out` (an encoded packet whose
 * first 97 bytes are reserved), then the packet hash (keccak256, as a real packet's: identical
 * packets share it, as they do on the wire). Returns the hash: a view of `out[0, 32)`.
 * @throws {RangeError} if `publicKey` is not 64 bytes or `out` is shorter than a packet
 */
export function sealSimulated(out: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new RangeError(`publicKey: expected ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`);
  }
  if (out.length <= HEADER_SIZE_BYTES) {
    throw new RangeError(`out: expected more than ${HEADER_SIZE_BYTES} bytes, got ${out.length}`);
  }
  out.set(publicKey, HASH_BYTES);
  out[HEADER_SIZE_BYTES - 1] = SIMULATED_MARKER;
  out.set(keccak256(out.subarray(HASH_BYTES)), 0);
  return out.subarray(0, HASH_BYTES);
}

/**
 * The public key a simulated datagram names as its sender (a copy), from a datagram of at least
 * 98 bytes whose hash was checked.
 * @throws {WireError} BAD_SIGNATURE when the datagram is not a simulated one
 */
export function simulatedSender(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= HEADER_SIZE_BYTES || bytes[HEADER_SIZE_BYTES - 1] !== SIMULATED_MARKER) {
    throw new WireError('BAD_SIGNATURE', 'not a simulated packet');
  }
  return bytes.slice(HASH_BYTES, HASH_BYTES + PUBLIC_KEY_BYTES);
}
