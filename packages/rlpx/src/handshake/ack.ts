/**
 * The ack message (recipient → initiator): EIP-8 by default, pre-EIP-8 on request (to answer a
 * legacy auth); both formats are read.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */
import { encodeBytes, encodeList, encodeUint, readFixed, readUint } from '@ethp2p/base/rlp';
import { concatBytes, generatePrivateKey, isValidPublicKey, publicKey } from '@ethp2p/crypto';
import { RlpxError } from '../errors.ts';
import { HANDSHAKE_VERSION, LEGACY_ACK_SIZE } from './constants.ts';
import { nonceOrRandom, openPacket, readBody, sealEip8, sealLegacy } from './packet.ts';

/** Options of {@link createAck}. Randomness is injectable so tests can be deterministic. */
export interface CreateAckOptions {
  /** The initiator's 64-byte static public key (from the auth). */
  readonly remotePublicKey: Uint8Array;
  /** The recipient's ephemeral private key (default: fresh). */
  readonly ephemeralKey?: Uint8Array;
  /** The 32-byte recipient nonce (default: random). */
  readonly nonce?: Uint8Array;
  /** EIP-8 padding (default: 100–199 zero bytes, random length, as geth); unused when legacy. */
  readonly padding?: Uint8Array;
  /** Send a pre-EIP-8 ack (210 bytes, no prefix): set it to `!auth.eip8`. Default false. */
  readonly legacy?: boolean;
}

/** What {@link createAck} produced: the wire packet and the secrets the recipient keeps. */
export interface CreatedAck {
  /** The full packet to send (size prefix included for EIP-8; also the MAC seed input). */
  readonly packet: Uint8Array;
  /** The recipient's ephemeral private key; needed by {@link deriveSecrets}. */
  readonly ephemeralKey: Uint8Array;
  /** The recipient nonce; needed by {@link deriveSecrets}. */
  readonly nonce: Uint8Array;
}

/** The fields of a received ack message. */
export interface AckFields {
  /** The recipient's 64-byte ephemeral public key. */
  readonly remoteEphemeralPublicKey: Uint8Array;
  /** The 32-byte recipient nonce. */
  readonly recipientNonce: Uint8Array;
  /** The ack version the recipient announced (4 for legacy messages); informational only. */
  readonly version: number;
  /** False for a pre-EIP-8 message. */
  readonly eip8: boolean;
}

/**
 * Builds an ack packet: EIP-8 `size ‖ ECIES(rlp([ephemeral-pubk, nonce, 4]) ‖ padding)`, or with
 * `legacy` the 210-byte `ECIES(ephemeral-pubk ‖ nonce ‖ 0x00)`.
 * @throws {RlpxError} `BAD_KEY` if `remotePublicKey` is not on the curve
 * @example
 * const ack = createAck({ remotePublicKey: auth.initiatorPublicKey, legacy: !auth.eip8 });
 */
export function createAck(options: CreateAckOptions): CreatedAck {
  const ephemeralKey = options.ephemeralKey ?? generatePrivateKey();
  const nonce = nonceOrRandom(options.nonce);
  const ephemeralPub = publicKey(ephemeralKey);
  const packet = options.legacy
    ? sealLegacy(options.remotePublicKey, concatBytes(ephemeralPub, nonce, new Uint8Array(1)))
    : sealEip8(
        options.remotePublicKey,
        encodeList([encodeBytes(ephemeralPub), encodeBytes(nonce), encodeUint(HANDSHAKE_VERSION)]),
        options.padding,
      );
  return { packet, ephemeralKey, nonce };
}

/**
 * Decrypts and checks an ack packet (EIP-8, or a 210-byte pre-EIP-8 blob) with the initiator's
 * static key. Versions and extra list elements are ignored (EIP-8 forward compatibility).
 * @throws {RlpxError} `MESSAGE_TOO_BIG`, `BAD_HANDSHAKE`, the ECIES codes, `BAD_KEY` if the
 * ephemeral key is not on the curve
 */
export function readAck(privateKey: Uint8Array, packet: Uint8Array): AckFields {
  const { plaintext, eip8 } = openPacket(privateKey, packet, LEGACY_ACK_SIZE);
  const { ephemeral, nonce, version } = eip8
    ? readBody(plaintext, 'ack', 3, (items) => ({
        ephemeral: readFixed(items[0], 64, 'ack ephemeral key'),
        nonce: readFixed(items[1], 32, 'ack nonce'),
        version: readUint(items[2], 6, 'ack version'),
      }))
    : {
        ephemeral: plaintext.slice(0, 64),
        nonce: plaintext.slice(64, 96),
        version: HANDSHAKE_VERSION,
      };
  if (!isValidPublicKey(ephemeral)) throw new RlpxError('BAD_KEY', 'invalid ack ephemeral key');
  return { remoteEphemeralPublicKey: ephemeral, recipientNonce: nonce, version, eip8 };
}
