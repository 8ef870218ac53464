/**
 * Constants of the RLPx handshake.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */

/** Largest accepted EIP-8 size prefix (bytes after the prefix); geth `p2p/rlpx` since 2024. */
export const MAX_HANDSHAKE_SIZE = 2048;
/** The auth/ack version we send (rlpx.md: auth-vsn = ack-vsn = 4). */
export const HANDSHAKE_VERSION = 4;
/** Length of a pre-EIP-8 auth packet: 194-byte plaintext + 113 bytes ECIES, no prefix. */
export const LEGACY_AUTH_SIZE = 307;
/** Length of a pre-EIP-8 ack packet: 97-byte plaintext + 113 bytes ECIES, no prefix. */
export const LEGACY_ACK_SIZE = 210;
/** Smallest random padding length of an EIP-8 message we send (EIP-8: at least 100). */
export const MIN_PADDING_BYTES = 100;
/** Largest random padding length of an EIP-8 message we send (geth: 100–199). */
export const MAX_PADDING_BYTES = 199;
