/**
 * @ethp2p/rlpx/handshake: the RLPx handshake piece by piece, for tools and interop tests:
 * building and reading auth and ack messages (EIP-8 and pre-EIP-8), the ECIES they are sealed
 * with, the session secrets derived from them, and the two handshake roles over a socket.
 * `connect` and `accept` in `@ethp2p/rlpx` run all of it. Failures throw `RlpxError`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */

export type {
  HandshakeOptions,
  HandshakeResult,
  InitiatorHandshakeOptions,
} from '../connection/handshake-io.ts';
export { initiatorHandshake, recipientHandshake } from '../connection/handshake-io.ts';
export type { AckFields, CreateAckOptions, CreatedAck } from './ack.ts';
export { createAck, readAck } from './ack.ts';
export type { AuthFields, CreateAuthOptions, CreatedAuth } from './auth.ts';
export { createAuth, readAuth } from './auth.ts';
export {
  HANDSHAKE_VERSION,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  MAX_HANDSHAKE_SIZE,
} from './constants.ts';
export type { EciesEncryptOptions } from './ecies.ts';
export { concatKdf, ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt } from './ecies.ts';
export { handshakePacketLength, mayBeLegacyHandshake } from './packet.ts';
export type { Secrets, SecretsInput } from './secrets.ts';
export { deriveSecrets } from './secrets.ts';
