/**
 * The signed envelope around every discv4 packet: `hash(32) ‖ signature(65) ‖ type(1) ‖ rlp`.
 * The signature is over keccak256(type ‖ rlp ‖ trailing bytes); the hash is keccak256 of
 * everything after it and doubles as the packet's identifier in Pong and ENRResponse.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import { equalBytes, keccak256 } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { decodeBody, encodeBody, packetName, type RecordReader, typeByte } from './codec.ts';
import {
  HEADER_SIZE_BYTES,
  MAX_DATAGRAM_SIZE,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
} from './constants.ts';
import { describe } from './endpoint.ts';
import { WireError } from './errors.ts';
import type { Packet, PacketInput } from './packets.ts';
import { HASH_BYTES, recoverSender, sealPacket } from './signature.ts';

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
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new RangeError(`privateKey: expected 32 bytes, got ${describe(privateKey)}`);
  }
  const out = encodeUnsigned(packet);
  const hash = sealPacket(out, privateKey).slice();
  return { bytes: out, hash };
}

/**
 * Encodes a packet without signing it: the type byte and body after 97 reserved header bytes,
 * for {@link sealPacket} to sign (in this thread or a worker). Pure.
 * @throws {TypeError|RangeError} on a bad field, or RangeError if the packet would exceed
 * `MAX_PACKET_SIZE` (1280 bytes)
 */
export function encodeUnsigned(packet: PacketInput): Uint8Array {
  if (typeof packet !== 'object' || packet === null) {
    throw new TypeError(`packet: expected an object, got ${describe(packet)}`);
  }
  const out = encodeBody(packet, HEADER_SIZE_BYTES + 1);
  if (out.length > MAX_PACKET_SIZE) {
    throw new RangeError(`packet: expected at most ${MAX_PACKET_SIZE} bytes, got ${out.length}`);
  }
  out[HEADER_SIZE_BYTES] = typeByte(packet.type);
  return out;
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
  const { packet, hash } = openPacket(bytes);
  const publicKey = recoverSender(bytes);
  return { packet, hash, publicKey, nodeId: nodeIdFromPublicKey(publicKey) };
}

/** A datagram whose size, hash and body were checked, but not yet its signature. */
export interface OpenedPacket {
  readonly packet: Packet;
  /** The 32-byte packet hash. */
  readonly hash: Uint8Array;
}

/** How {@link openPacket} opens a datagram; the defaults are the real protocol's. */
export interface OpenOptions {
  /**
   * Take the first 32 bytes as the packet's hash without checking them: for the simulated
   * identity, whose packets come from this process (`sealSimulated` hashed them). Default false.
   */
  readonly trustHash?: boolean;
  /** Reads an ENRResponse's record. Default `Enr.decode`. */
  readonly readRecord?: RecordReader;
}

/**
 * The checks of {@link decodePacket} before the signature: size, hash, type and body. The
 * sender is then {@link recoverSender}'s to find (in this thread or a worker). Pure.
 * @throws {WireError} for a malformed datagram; {TypeError} if `bytes` is not a Uint8Array
 */
export function openPacket(bytes: Uint8Array, options: OpenOptions = {}): OpenedPacket {
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
  let hash: Uint8Array;
  if (options.trustHash === true) hash = bytes.slice(0, HASH_BYTES);
  else {
    hash = keccak256(bytes.subarray(HASH_BYTES));
    if (!equalBytes(hash, bytes.subarray(0, HASH_BYTES)))
      throw new WireError('BAD_HASH', 'bad packet hash');
  }
  const type = bytes[HEADER_SIZE_BYTES] as number;
  const name = packetName(type);
  if (name === undefined) throw new WireError('UNKNOWN_TYPE', `unknown packet type ${type}`);
  const body = bytes.subarray(HEADER_SIZE_BYTES + 1);
  return { packet: decodeBody(name, body, options.readRecord), hash };
}
