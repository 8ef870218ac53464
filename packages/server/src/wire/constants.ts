/**
 * Constants of the devp2p base protocol ("p2p" capability): its version, code space, message
 * codes and timings.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#p2p-capability
 * @module
 */

/** The p2p version we announce in Hello; snappy is on when both sides are at ≥ 5 (EIP-706). */
export const BASE_PROTOCOL_VERSION = 5;
/** Codes 0x00–0x0f are reserved for the base protocol; subprotocols start at 16 (geth). */
export const BASE_PROTOCOL_LENGTH = 16;
/** Largest Hello (or message read before Hello) we accept: 2 KiB (geth `baseProtocolMaxMsgSize`). */
export const BASE_PROTOCOL_MAX_MSG_SIZE = 2048;
/**
 * Most elements read from a Hello: its five fields and room for eleven a later version may
 * append (EIP-8). More is refused before the rest is read (not in geth, whose only bound is the
 * 2 KiB size).
 */
export const HELLO_MAX_FIELDS = 16;
/** Most capabilities read from a Hello (clients announce fewer than ten). */
export const HELLO_MAX_CAPS = 64;
/** Most elements read from one capability: `[name, version]` and room for six more. */
export const CAP_MAX_FIELDS = 8;
/** How often a peer is pinged (geth `pingInterval`). */
export const PING_INTERVAL_MS = 15_000;
/** How long the Hello exchange may take (geth `handshakeTimeout`). */
export const HELLO_TIMEOUT_MS = 5000;
/** How long writing a Disconnect may take before the connection is closed anyway (geth). */
export const DISCONNECT_WRITE_TIMEOUT_MS = 1000;

/** Message codes of the base protocol (rlpx.md "p2p Capability"). */
export const BaseMsgCode = {
  Hello: 0x00,
  Disconnect: 0x01,
  Ping: 0x02,
  Pong: 0x03,
} as const;

/** A base-protocol message code. */
export type BaseMsgCode = (typeof BaseMsgCode)[keyof typeof BaseMsgCode];
