/**
 * The auth message (initiator → recipient): EIP-8 to send, EIP-8 or pre-EIP-8 to read.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */
import { encodeBytes, encodeList, encodeUint, readFixed, readUint } from '@ethp2p/base/rlp';
import {
  CryptoError,
  constantTimeEqual,
  generatePrivateKey,
  keccak256,
  publicKey,
  recover,
  signRecoverable,
} from '@ethp2p/crypto';
import { RlpxError } from '../errors.ts';
import { HANDSHAKE_VERSION, LEGACY_AUTH_SIZE } from './constants.ts';
import { sharedX } from './ecies.ts';
import { nonceOrRandom, openPacket, readBody, sealEip8, xor32 } from './packet.ts';

/** Options of {@link createAuth}. Randomness is injectable so tests can be deterministic. */
export interface CreateAuthOptions {
  /** The initiator's static private key. */
  readonly privateKey: Uint8Array;
  /** The recipient's 64-byte static public key (its node ID key). */
  readonly remotePublicKey: Uint8Array;
  /** The initiator's ephemeral private key (default: fresh). */
  readonly ephemeralKey?: Uint8Array;
  /** The 32-byte initiator nonce (default: random). */
  readonly nonce?: Uint8Array;
  /** Padding appended after the RLP body (default: 100–199 zero bytes, random length, as geth). */
  readonly padding?: Uint8Array;
}

/** What {@link createAuth} produced: the wire packet and the secrets the initiator keeps. */
export interface CreatedAuth {
  /** The full packet to send, size prefix included (also the MAC seed input). */
  readonly packet: Uint8Array;
  /** The ephemeral private key used to sign; needed by {@link deriveSecrets}. */
  readonly ephemeralKey: Uint8Array;
  /** The initiator nonce; needed by {@link deriveSecrets}. */
  readonly nonce: Uint8Array;
}

/** The fields of a received auth message. */
export interface AuthFields {
  /** The initiator's 64-byte static public key (its node ID key). */
  readonly initiatorPublicKey: Uint8Array;
  /** The initiator's ephemeral public key, recovered from the signature. */
  readonly remoteEphemeralPublicKey: Uint8Array;
  /** The 32-byte initiator nonce. */
  readonly initiatorNonce: Uint8Array;
  /** The auth version the initiator announced (4 for legacy messages); informational only. */
  readonly version: number;
  /** False for a pre-EIP-8 message: answer it with `createAck({ legacy: true, ... })`. */
  readonly eip8: boolean;
}

/**
 * Builds an EIP-8 auth packet: `size ‖ ECIES(rlp([sig, initiator-pubk, nonce, 4]) ‖ padding)`,
 * where `sig` signs `ecdh(static keys) XOR nonce` with the ephemeral key. Pure apart from the
 * default randomness.
 * @throws {RlpxError} `BAD_KEY` if `remotePublicKey` is not on the curve
 * @example
 * const auth = createAuth({ privateKey, remotePublicKey });
 * socket.write(auth.packet);
 */
export function createAuth(options: CreateAuthOptions): CreatedAuth {
  const { privateKey, remotePublicKey } = options;
  const ephemeralKey = options.ephemeralKey ?? generatePrivateKey();
  const nonce = nonceOrRandom(options.nonce);
  const token = xor32(sharedX(privateKey, remotePublicKey), nonce);
  const signature = signRecoverable(token, ephemeralKey);
  const body = encodeList([
    encodeBytes(signature),
    encodeBytes(publicKey(privateKey)),
    encodeBytes(nonce),
    encodeUint(HANDSHAKE_VERSION),
  ]);
  const packet = sealEip8(remotePublicKey, body, options.padding);
  return { packet, ephemeralKey, nonce };
}

interface RawAuth {
  signature: Uint8Array;
  initiatorPublicKey: Uint8Array;
  nonce: Uint8Array;
  version: number;
  ephemeralHash?: Uint8Array;
}

/** EIP-8 body: [sig, pubk, nonce, version, ...ignored]. */
function parseEip8(plaintext: Uint8Array): RawAuth {
  return readBody(plaintext, 'auth', 4, (items) => ({
    signature: readFixed(items[0], 65, 'auth signature'),
    initiatorPublicKey: readFixed(items[1], 64, 'auth public key'),
    nonce: readFixed(items[2], 32, 'auth nonce'),
    version: readUint(items[3], 6, 'auth version'),
  }));
}

/** Pre-EIP-8 body: sig(65) ‖ keccak(ephemeral-pubk)(32) ‖ pubk(64) ‖ nonce(32) ‖ 0x00. */
function parseLegacy(plaintext: Uint8Array): RawAuth {
  return {
    signature: plaintext.subarray(0, 65),
    ephemeralHash: plaintext.subarray(65, 97),
    initiatorPublicKey: plaintext.subarray(97, 161),
    nonce: plaintext.subarray(161, 193),
    version: HANDSHAKE_VERSION,
  };
}

/** Recovers the initiator's ephemeral key from the auth signature. */
function recoverEphemeral(token: Uint8Array, signature: Uint8Array): Uint8Array {
  try {
    return recover(token, signature);
  } catch (err) {
    if (err instanceof CryptoError) {
      throw new RlpxError('BAD_SIGNATURE', 'invalid auth signature', { cause: err });
    }
    throw err;
  }
}

/**
 * Decrypts and checks an auth packet (EIP-8, or a 307-byte pre-EIP-8 blob) with the recipient's
 * static key. Versions and extra list elements are ignored (EIP-8 forward compatibility).
 * @throws {RlpxError} `MESSAGE_TOO_BIG`, `BAD_HANDSHAKE`, the ECIES codes, `BAD_KEY` for an
 * invalid initiator key, `BAD_SIGNATURE` if no ephemeral key can be recovered
 */
export function readAuth(privateKey: Uint8Array, packet: Uint8Array): AuthFields {
  const { plaintext, eip8 } = openPacket(privateKey, packet, LEGACY_AUTH_SIZE);
  const raw = eip8 ? parseEip8(plaintext) : parseLegacy(plaintext);
  const token = xor32(sharedX(privateKey, raw.initiatorPublicKey), raw.nonce);
  const remoteEphemeralPublicKey = recoverEphemeral(token, raw.signature);
  if (
    raw.ephemeralHash &&
    !constantTimeEqual(keccak256(remoteEphemeralPublicKey), raw.ephemeralHash)
  ) {
    throw new RlpxError('BAD_HANDSHAKE', 'auth ephemeral key hash mismatch');
  }
  return {
    initiatorPublicKey: raw.initiatorPublicKey.slice(),
    remoteEphemeralPublicKey,
    initiatorNonce: raw.nonce.slice(),
    version: raw.version,
    eip8,
  };
}
