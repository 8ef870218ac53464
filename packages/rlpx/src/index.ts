/**
 * @ethp2p/rlpx: the RLPx transport: the ECIES handshake (EIP-8) and framed, MAC'd,
 * snappy-compressed messages over TCP.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { RlpxConnectionOptions, RlpxMessage } from './connection/connection.ts';
export { READ_TIMEOUT_MS, RlpxConnection, WRITE_TIMEOUT_MS } from './connection/connection.ts';
export type { AcceptOptions, ConnectOptions } from './connection/dial.ts';
export { accept, connect } from './connection/dial.ts';
export type {
  HandshakeOptions,
  HandshakeResult,
  InitiatorHandshakeOptions,
} from './connection/handshake-io.ts';
export {
  HANDSHAKE_TIMEOUT_MS,
  initiatorHandshake,
  recipientHandshake,
} from './connection/handshake-io.ts';
export type { EciesEncryptOptions } from './ecies.ts';
export { concatKdf, ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt } from './ecies.ts';
export type { RlpxErrorCode } from './errors.ts';
export { RlpxError } from './errors.ts';
export type { FrameCodecOptions, FrameSecrets } from './frame/codec.ts';
export { FrameCodec } from './frame/codec.ts';
export { MAX_FRAME_SIZE } from './frame/constants.ts';
export { FrameStream } from './frame/frame-stream.ts';
export { FrameMac } from './frame/mac.ts';
export type { FrameMessage } from './frame/reader.ts';
export { FrameReader } from './frame/reader.ts';
export type { SnappyCodec, SnappyImpl } from './frame/snappy.ts';
export { createSnappy, napiSnappyAvailable, snappyDecodedLength } from './frame/snappy.ts';
export { FrameWriter } from './frame/writer.ts';
export type { AckFields, CreateAckOptions, CreatedAck } from './handshake/ack.ts';
export { createAck, readAck } from './handshake/ack.ts';
export type { AuthFields, CreateAuthOptions, CreatedAuth } from './handshake/auth.ts';
export { createAuth, readAuth } from './handshake/auth.ts';
export {
  HANDSHAKE_VERSION,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  MAX_HANDSHAKE_SIZE,
  MAX_PADDING_BYTES,
  MIN_PADDING_BYTES,
} from './handshake/constants.ts';
export { handshakePacketLength, mayBeLegacyHandshake } from './handshake/packet.ts';
export type { Secrets, SecretsInput } from './handshake/secrets.ts';
export { deriveSecrets } from './handshake/secrets.ts';
