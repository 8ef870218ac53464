/**
 * @ethp2p/discovery/v5-wire: the discv5.1 wire codec: packet frames, authdata, messages and the
 * handshake's cryptography, for tools, interop tests and the fuzzer. Pure functions, no I/O.
 * Decoders throw only `WireV5Error` for bad bytes.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md
 * @module
 */
export type { HandshakeAuth, WhoareyouAuth } from './authdata.ts';
export {
  decodeHandshakeAuth,
  decodeMessageAuth,
  decodeWhoareyouAuth,
  encodeHandshakeAuth,
  encodeMessageAuth,
  encodeWhoareyouAuth,
} from './authdata.ts';
export type { Flag, MessageName } from './constants.ts';
export {
  FLAG,
  ID_NONCE_BYTES,
  MAX_LOG_DISTANCE,
  MAX_PACKET_BYTES,
  MAX_REQUEST_ID_BYTES,
  MESSAGE_TYPE,
  MIN_PACKET_BYTES,
  NONCE_BYTES,
  RANDOM_MESSAGE_BYTES,
  V4_EPHEMERAL_KEY_BYTES,
  V4_SIGNATURE_BYTES,
} from './constants.ts';
export type { WireV5ErrorCode } from './errors.ts';
export { WIRE_V5_ERROR_CODE, WireV5Error } from './errors.ts';
export type { PacketHeader, UnmaskedPacket } from './header.ts';
export { encodeHeaderData, maskPacket, unmaskPacket } from './header.ts';
export type { SessionKeys } from './keys.ts';
export {
  deriveSessionKeys,
  idSignatureHash,
  sessionKeys,
  signIdNonce,
  verifyIdSignature,
} from './keys.ts';
export type {
  FindNodeMessage,
  NodesMessage,
  PingMessage,
  PongMessage,
  TalkReqMessage,
  TalkRespMessage,
  V5Message,
} from './messages.ts';
export { decodeMessage, encodeMessage } from './messages.ts';
export type {
  DecodedHandshakePacket,
  DecodedMessagePacket,
  DecodedV5Packet,
  DecodedWhoareyouPacket,
  PacketFrame,
  SealedMessage,
} from './packet.ts';
export {
  decodePacket,
  encodeHandshakePacket,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  openMessage,
} from './packet.ts';
