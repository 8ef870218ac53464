/**
 * Whole packets: encoding of the three kinds (masking and encryption included) and decoding of
 * the frame and authdata. Decoding stops short of decryption: which key opens a message is the
 * session layer's business.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md#packet-encoding
 * @module
 */
import { aes128GcmOpen, aes128GcmSeal } from '@ethp2p/crypto';
import {
  decodeHandshakeAuth,
  decodeMessageAuth,
  decodeWhoareyouAuth,
  encodeHandshakeAuth,
  encodeWhoareyouAuth,
  type HandshakeAuth,
  type WhoareyouAuth,
} from './authdata.ts';
import { encodeHeaderData, maskPacket, unmaskPacket } from './header.ts';

/** What every packet encoding needs. */
export interface PacketFrame {
  /** The recipient's node ID: its first 16 bytes mask the header. */
  readonly destId: Uint8Array;
  /** 16 random bytes, unique per packet. */
  readonly maskingIv: Uint8Array;
  /** 12 bytes; for WHOAREYOU the nonce of the packet being answered. */
  readonly nonce: Uint8Array;
}

/** An ordinary or handshake message packet's encryption inputs. */
export interface SealedMessage {
  /** The AES-128-GCM write key. */
  readonly key: Uint8Array;
  /** The message plaintext (`encodeMessage`), or random bytes to provoke a handshake. */
  readonly plaintext: Uint8Array;
}

/** An ordinary message packet from `srcId`. @throws {TypeError|RangeError} on bad fields or size */
export function encodeMessagePacket(
  frame: PacketFrame,
  srcId: Uint8Array,
  message: SealedMessage,
): Uint8Array {
  const headerData = encodeHeaderData(frame.maskingIv, {
    flag: 'message',
    nonce: frame.nonce,
    authdata: srcId,
  });
  return seal(frame, headerData, message);
}

/**
 * A WHOAREYOU packet, with its challenge-data (the unmasked header, which both sides feed the
 * key derivation and the id-signature).
 */
export function encodeWhoareyouPacket(
  frame: PacketFrame,
  auth: WhoareyouAuth,
): { packet: Uint8Array; challengeData: Uint8Array } {
  const headerData = encodeHeaderData(frame.maskingIv, {
    flag: 'whoareyou',
    nonce: frame.nonce,
    authdata: encodeWhoareyouAuth(auth),
  });
  return {
    packet: maskPacket(frame.destId, headerData, new Uint8Array(0)),
    challengeData: headerData,
  };
}

/** A handshake message packet. @throws {TypeError|RangeError} on bad fields or size */
export function encodeHandshakePacket(
  frame: PacketFrame,
  auth: HandshakeAuth,
  message: SealedMessage,
): Uint8Array {
  const headerData = encodeHeaderData(frame.maskingIv, {
    flag: 'handshake',
    nonce: frame.nonce,
    authdata: encodeHandshakeAuth(auth),
  });
  return seal(frame, headerData, message);
}

function seal(frame: PacketFrame, headerData: Uint8Array, message: SealedMessage): Uint8Array {
  const sealed = aes128GcmSeal(message.key, frame.nonce, message.plaintext, headerData);
  return maskPacket(frame.destId, headerData, sealed);
}

/** A decoded ordinary message packet; the message is still encrypted. */
export interface DecodedMessagePacket {
  readonly kind: 'message';
  readonly srcId: Uint8Array;
  readonly nonce: Uint8Array;
  readonly headerData: Uint8Array;
  readonly message: Uint8Array;
}

/** A decoded WHOAREYOU packet. */
export interface DecodedWhoareyouPacket extends WhoareyouAuth {
  readonly kind: 'whoareyou';
  /** The nonce of the packet being challenged. */
  readonly nonce: Uint8Array;
  /** The unmasked header: the handshake's challenge-data. */
  readonly challengeData: Uint8Array;
}

/** A decoded handshake packet; the record is raw and unverified, the message encrypted. */
export interface DecodedHandshakePacket extends HandshakeAuth {
  readonly kind: 'handshake';
  readonly nonce: Uint8Array;
  readonly headerData: Uint8Array;
  readonly message: Uint8Array;
}

/** A decoded packet, discriminated on `kind`. */
export type DecodedV5Packet =
  | DecodedMessagePacket
  | DecodedWhoareyouPacket
  | DecodedHandshakePacket;

/**
 * Unmasks a packet sent to `localId` and parses its authdata.
 * @throws {WireV5Error} see {@link unmaskPacket}; BAD_AUTHDATA for authdata of the wrong shape
 */
export function decodePacket(data: Uint8Array, localId: Uint8Array): DecodedV5Packet {
  const p = unmaskPacket(data, localId);
  const { nonce, headerData, message } = p;
  switch (p.flag) {
    case 'message':
      return { kind: 'message', srcId: decodeMessageAuth(p.authdata), nonce, headerData, message };
    case 'whoareyou':
      return {
        kind: 'whoareyou',
        nonce,
        ...decodeWhoareyouAuth(p.authdata),
        challengeData: headerData,
      };
    case 'handshake':
      return { kind: 'handshake', ...decodeHandshakeAuth(p.authdata), nonce, headerData, message };
  }
}

/**
 * The plaintext of a decoded message or handshake packet under `key`, or `undefined` if it does
 * not authenticate.
 */
export function openMessage(
  packet: DecodedMessagePacket | DecodedHandshakePacket,
  key: Uint8Array,
): Uint8Array | undefined {
  return aes128GcmOpen(key, packet.nonce, packet.message, packet.headerData);
}
