/**
 * The two costly steps of the discv4 envelope, apart from the codec so that a worker thread can
 * run them with nothing but `@ethp2p/crypto` loaded: sealing an encoded packet (signature and
 * hash written in place) and recovering the sender of a datagram. Pure functions.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import { keccak256, recover, signRecoverable } from '@ethp2p/crypto';
import { HEADER_SIZE_BYTES } from './constants.ts';
import { WireError } from './errors.ts';

/** Bytes of the packet hash at the start of every datagram. */
export const HASH_BYTES = 32;

/**
 * Signs `out` (an encoded packet whose first 97 bytes are reserved for the header) over
 * keccak256(type ‖ rlp), then writes the signature and the packet hash into that header.
 * Returns the hash: a view of `out[0, 32)`.
 */
export function sealPacket(out: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const signature = signRecoverable(keccak256(out.subarray(HEADER_SIZE_BYTES)), privateKey);
  out.set(signature, HASH_BYTES);
  out.set(keccak256(out.subarray(HASH_BYTES)), 0);
  return out.subarray(0, HASH_BYTES);
}

/**
 * The 64-byte public key that signed the datagram `bytes` (at least 98 bytes; its hash is not
 * checked here).
 * @throws {WireError} BAD_SIGNATURE when no key can be recovered
 */
export function recoverSender(bytes: Uint8Array): Uint8Array {
  const signature = bytes.subarray(HASH_BYTES, HEADER_SIZE_BYTES);
  const sigHash = keccak256(bytes.subarray(HEADER_SIZE_BYTES));
  try {
    return recover(sigHash, signature);
  } catch (err) {
    throw new WireError('BAD_SIGNATURE', 'cannot recover the sender from the signature', {
      cause: err,
    });
  }
}
