/**
 * The signed envelope around every discv4 packet: `hash(32) ‖ signature(65) ‖ type(1) ‖ rlp`.
 * The signature is over keccak256(type ‖ rlp ‖ trailing bytes); the hash is keccak256 of
 * everything after it and doubles as the packet's identifier in Pong and ENRResponse.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import { equalBytes, keccak256, recover, signRecoverable } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { decodeBody, encodeBody, packetName, typeByte } from './codec.ts';
import {
  HEADER_SIZE_BYTES,
  MAX_DATAGRAM_SIZE,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
} from './constants.ts';
import { describe } from './endpoint.ts';
import { WireError } from './errors.ts';
import type { Packet, PacketInput } from './packets.ts';

const HASH_BYTES = 32;

/** An encoded packet: the datagram to send and its 32-byte hash (to match the reply). */
export interface EncodedPacket {
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
}

/** A decoded and verified packet with its sender. */
export interface DecodedPacket {
  readonly packet: Packet;
  /** The 32-byte packet hash: what a Pong or ENRResponse must echo. */
  readonly hash: Uint8Array;
  /** The sender's 64-byte public key (X‖Y), recovered from the signature. */
  readonly publicKey: Uint8Array;
  /** The sender's 32-byte node ID: keccak256 of `publicKey`. */
  readonly nodeId: Uint8Array;
}

/**
 * Encodes and signs a packet. Costs one signature and two keccak256s; the body is written in
 * place, not copied. Pure: safe to call from anywhere.
 * @throws {TypeError|RangeError} on a bad field or private key, or RangeError if the packet would
 * exceed `MAX_PACKET_SIZE` (1280 bytes)
 * @example
 * ```ts
 * const { bytes, hash } = encodePacket(
 *   { type: 'enr-request', expiration: expirationFromNow(Date.now()) },
 *   privateKey,
 * );
 * ```
 */
export function encodePacket(packet: PacketInput, privateKey: Uint8Array): EncodedPacket {
  if (typeof packet !== 'object' || packet === null) {
    throw new TypeError(`packet: expected an object, got ${describe(packet)}`);
  }
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new RangeError(`privateKey: expected 32 bytes, got ${describe(privateKey)}`);
  }
  const out = encodeBody(packet, HEADER_SIZE_BYTES + 1);
  if (out.length > MAX_PACKET_SIZE) {
    throw new RangeError(`packet: expected at most ${MAX_PACKET_SIZE} bytes, got ${out.length}`);
  }
  out[HEADER_SIZE_BYTES] = typeByte(packet.type);
  const signature = signRecoverable(keccak256(out.subarray(HEADER_SIZE_BYTES)), privateKey);
  out.set(signature, HASH_BYTES);
  const hash = keccak256(out.subarray(HASH_BYTES));
  out.set(hash, 0);
  return { bytes: out, hash };
}

/**
 * Decodes a datagram and verifies its hash and signature. The size is checked before any
 * hashing, and the body is parsed before the (costly) signature recovery. Expired packets are
 * returned as any other: handlers check `isExpired`. Byte fields of the result are copies.
 * @throws {WireError} for every malformed or unverifiable datagram, and nothing else for
 * bad bytes; {TypeError} if `bytes` is not a Uint8Array
 * @example
 * ```ts
 * const { packet, hash, nodeId } = decodePacket(datagram);
 * if (packet.type === 'ping' && !isExpired(packet.expiration, Date.now())) reply(hash);
 * ```
 */
export function decodePacket(bytes: Uint8Array): DecodedPacket {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`bytes: expected Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < MIN_PACKET_SIZE) {
    throw new WireError(
      'TOO_SMALL',
      `packet of ${bytes.length} bytes, expected at least ${MIN_PACKET_SIZE}`,
    );
  }
  if (bytes.length > MAX_DATAGRAM_SIZE) {
    throw new WireError(
      'TOO_LARGE',
      `packet of ${bytes.length} bytes, expected at most ${MAX_DATAGRAM_SIZE}`,
    );
  }
  const hash = keccak256(bytes.subarray(HASH_BYTES));
  if (!equalBytes(hash, bytes.subarray(0, HASH_BYTES)))
    throw new WireError('BAD_HASH', 'bad packet hash');
  const type = bytes[HEADER_SIZE_BYTES] as number;
  const name = packetName(type);
  if (name === undefined) throw new WireError('UNKNOWN_TYPE', `unknown packet type ${type}`);
  const packet = decodeBody(name, bytes.subarray(HEADER_SIZE_BYTES + 1));
  const publicKey = recoverSender(bytes);
  return { packet, hash, publicKey, nodeId: nodeIdFromPublicKey(publicKey) };
}

function recoverSender(bytes: Uint8Array): Uint8Array {
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
