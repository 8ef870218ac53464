/**
 * Protocol constants of the discv5.1 wire format.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md
 * @module
 */

/** "discv5", the protocol-id at the start of every static header. */
export const PROTOCOL_ID: Uint8Array = new TextEncoder().encode('discv5');

/** Header version we write (0x0001); we accept any version from 1 on, as geth does. */
export const PROTOCOL_VERSION = 1;

/** Packet kinds by the header's flag byte. */
export const FLAG = {
  /** An ordinary message packet: authdata is the source node ID. */
  message: 0,
  /** A WHOAREYOU challenge: authdata is id-nonce ‖ enr-seq and there is no message. */
  whoareyou: 1,
  /** A handshake message packet: authdata carries the id-signature, ephemeral key and record. */
  handshake: 2,
} as const;

/** A header flag name. */
export type Flag = keyof typeof FLAG;

/** Bytes of the masking IV that starts every packet. */
export const MASKING_IV_BYTES = 16;
/** Bytes of the static header: protocol-id 6, version 2, flag 1, nonce 12, authdata-size 2. */
export const STATIC_HEADER_BYTES = 23;
/** Bytes of the message nonce. */
export const NONCE_BYTES = 12;
/** Bytes of a WHOAREYOU id-nonce. */
export const ID_NONCE_BYTES = 16;
/** Bytes of the authdata of an ordinary message packet (the source node ID). */
export const MESSAGE_AUTHDATA_BYTES = 32;
/** Bytes of the authdata of a WHOAREYOU packet (id-nonce 16, enr-seq 8). */
export const WHOAREYOU_AUTHDATA_BYTES = 24;
/** Bytes of the fixed head of handshake authdata (src-id 32, sig-size 1, eph-key-size 1). */
export const HANDSHAKE_AUTHDATA_HEAD_BYTES = 34;
/** Signature size of the "v4" identity scheme. */
export const V4_SIGNATURE_BYTES = 64;
/** Ephemeral (compressed secp256k1) key size of the "v4" identity scheme. */
export const V4_EPHEMERAL_KEY_BYTES = 33;
/** Bytes of a session key (AES-128). */
export const SESSION_KEY_BYTES = 16;

/** Smallest packet a node may accept (discv5-wire.md "UDP Communication"). */
export const MIN_PACKET_BYTES = 63;
/** Largest packet a node may send or accept (discv5-wire.md "UDP Communication"). */
export const MAX_PACKET_BYTES = 1280;
/**
 * Smallest remainder after the static header of a non-WHOAREYOU packet: 32 bytes of authdata
 * and a 16-byte GCM tag (geth `minMessageSize`).
 */
export const MIN_MESSAGE_REMAINDER_BYTES = 48;
/** Bytes of random message content in the packet that starts a handshake (geth `randomPacketMsgSize`). */
export const RANDOM_MESSAGE_BYTES = 20;

/** Longest request-id (discv5-wire.md "Protocol Messages"). */
export const MAX_REQUEST_ID_BYTES = 8;
/** Largest log distance: node IDs have 256 bits. */
export const MAX_LOG_DISTANCE = 256;

/** Message types (discv5-wire.md "Protocol Messages"); topic messages are not implemented. */
export const MESSAGE_TYPE = {
  ping: 0x01,
  pong: 0x02,
  findnode: 0x03,
  nodes: 0x04,
  talkreq: 0x05,
  talkresp: 0x06,
} as const;

/** A message name. */
export type MessageName = keyof typeof MESSAGE_TYPE;

/** "discovery v5 key agreement", the HKDF info prefix. */
export const KEY_AGREEMENT_INFO: Uint8Array = new TextEncoder().encode(
  'discovery v5 key agreement',
);
/** "discovery v5 identity proof", the id-signature input prefix. */
export const IDENTITY_PROOF_TEXT: Uint8Array = new TextEncoder().encode(
  'discovery v5 identity proof',
);
