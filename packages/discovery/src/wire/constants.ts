/**
 * discv4 wire constants (geth `p2p/discover/v4wire/v4wire.go`, `p2p/discover/v4_udp.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */

/** The packet type bytes, by name (discv4 spec; 0 is reserved). */
export const PACKET_TYPE = {
  ping: 1,
  pong: 2,
  findnode: 3,
  neighbors: 4,
  'enr-request': 5,
  'enr-response': 6,
} as const;

/** The name of a packet type: the discriminant of `Packet`. */
export type PacketName = keyof typeof PACKET_TYPE;

/** Bytes before the type byte: hash (32) and signature (65) (geth `headSize` minus 1). */
export const HEADER_SIZE_BYTES = 97;

/** Smallest datagram worth decoding: header, type byte and one body byte (geth "too small"). */
export const MIN_PACKET_SIZE = 98;

/** Largest packet we send, in bytes (discv4 spec; geth `maxPacketSize`). */
export const MAX_PACKET_SIZE = 1280;

/**
 * Largest datagram we accept, in bytes: {@link MAX_PACKET_SIZE}, as go-ethereum, whose discv4 and
 * discv5 read loops read into a 1280-byte buffer (a longer datagram is truncated and fails the
 * hash check). Longer datagrams are rejected before any hashing or signature work. ethereumjs's
 * 16-node Neighbors packets (about 1373 bytes with IPv4 entries) are dropped, as geth drops them.
 */
export const MAX_DATAGRAM_SIZE: number = MAX_PACKET_SIZE;

/** Most nodes per Neighbors packet we send, so 12 IPv6 entries fit in 1280 bytes (geth `MaxNeighbors`). */
export const MAX_NEIGHBORS_PER_PACKET = 12;

/** How far in the future outgoing packets expire, in milliseconds (geth `expiration`, 20 s). */
export const EXPIRATION_MS = 20_000;

/** The protocol version written in outgoing Pings (discv4 spec). */
export const DISCV4_VERSION = 4n;

/** Largest unsigned 64-bit integer: the range of expiration, version and enr-seq. */
export const MAX_UINT64: bigint = 2n ** 64n - 1n;
