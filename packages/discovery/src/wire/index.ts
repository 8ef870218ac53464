/**
 * @ethp2p/discovery/wire: the discv4 packet codec (sign, encode, decode, verify), for tools and
 * interop. Pure functions, no I/O.
 *
 * - `decodePacket` accepts datagrams up to `MAX_DATAGRAM_SIZE` (1280, what we send and what
 *   go-ethereum reads), checks the size before any crypto, and throws only
 *   {@link WireError} for bad bytes. Expired packets decode; handlers call `isExpired`.
 * - Extra list elements are kept in `rest` and written back on encode; trailing bytes after the
 *   RLP list are ignored (EIP-8). ENRResponse records are verified on decode.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
export type { PacketName } from './constants.ts';
export {
  DISCV4_VERSION,
  EXPIRATION_MS,
  MAX_DATAGRAM_SIZE,
  MAX_NEIGHBORS_PER_PACKET,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
  PACKET_TYPE,
} from './constants.ts';
export type { Endpoint, NeighborNode } from './endpoint.ts';
export type { DecodedPacket, EncodedPacket } from './envelope.ts';
export { decodePacket, encodePacket } from './envelope.ts';
export type { WireErrorCode } from './errors.ts';
export { WIRE_ERROR_CODE, WireError } from './errors.ts';
export { expirationFromNow, isExpired } from './expiration.ts';
export { chunkNeighbors } from './neighbors.ts';
export type {
  EnrRequestPacket,
  EnrResponsePacket,
  FindNodePacket,
  NeighborsPacket,
  Packet,
  PacketInput,
  PingPacket,
  PongPacket,
} from './packets.ts';
