/**
 * The session secrets both sides derive once auth and ack are exchanged.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#secrets
 * @module
 */
import type { KeccakState } from '@ethp2p/crypto';
import { concatBytes, keccak256 } from '@ethp2p/crypto';
import { createMacKeccak } from '../frame/wasm/keccak.ts';
import { sharedX } from './ecies.ts';
import { xor32 } from './packet.ts';

/** Inputs of {@link deriveSecrets}; each side passes the same packets and nonces. */
export interface SecretsInput {
  /** True on the side that sent the auth. */
  readonly initiator: boolean;
  /** This side's ephemeral private key. */
  readonly localEphemeralKey: Uint8Array;
  /** The peer's ephemeral public key (recovered from the auth, or read from the ack). */
  readonly remoteEphemeralPublicKey: Uint8Array;
  /** The 32-byte nonce of the auth. */
  readonly initiatorNonce: Uint8Array;
  /** The 32-byte nonce of the ack. */
  readonly recipientNonce: Uint8Array;
  /** The auth packet as sent on the wire, size prefix included. */
  readonly authPacket: Uint8Array;
  /** The ack packet as sent on the wire, size prefix included. */
  readonly ackPacket: Uint8Array;
}

/**
 * The session secrets. The MAC states (keccak-256 on the frame-MAC WebAssembly module, see
 * `createMacKeccak`) are owned by the caller (the frame codec) and updated in place; they are
 * not safe to share between connections.
 */
export interface Secrets {
  /** keccak256(ephemeral-key ‖ shared-secret): the AES-256-CTR frame key. */
  readonly aesSecret: Uint8Array;
  /** keccak256(ephemeral-key ‖ aes-secret): the AES-256 MAC-update key. */
  readonly macSecret: Uint8Array;
  /** The running keccak256 state for frames we send. */
  readonly egressMac: KeccakState;
  /** The running keccak256 state for frames we receive. */
  readonly ingressMac: KeccakState;
}

/** keccak256 state seeded with `(macSecret XOR nonce) ‖ packet`. */
function macState(macSecret: Uint8Array, nonce: Uint8Array, packet: Uint8Array): KeccakState {
  return createMacKeccak().update(xor32(macSecret, nonce)).update(packet);
}

/**
 * Derives the secrets per rlpx.md: `shared = keccak(ek ‖ keccak(recipient-nonce ‖
 * initiator-nonce))`, `aes = keccak(ek ‖ shared)`, `mac = keccak(ek ‖ aes)`, with ek the ephemeral
 * ECDH x. The initiator's egress MAC is `(mac XOR recipient-nonce) ‖ auth` and its ingress MAC
 * `(mac XOR initiator-nonce) ‖ ack`; the recipient's are the other way round.
 * @throws {RlpxError} `BAD_KEY` if the remote ephemeral key is not on the curve
 * @example
 * const s = deriveSecrets({ initiator: true, localEphemeralKey: auth.ephemeralKey, ... });
 */
export function deriveSecrets(input: SecretsInput): Secrets {
  const ephemeralKey = sharedX(input.localEphemeralKey, input.remoteEphemeralPublicKey);
  const nonceHash = keccak256(concatBytes(input.recipientNonce, input.initiatorNonce));
  const sharedSecret = keccak256(concatBytes(ephemeralKey, nonceHash));
  const aesSecret = keccak256(concatBytes(ephemeralKey, sharedSecret));
  const macSecret = keccak256(concatBytes(ephemeralKey, aesSecret));
  const authMac = macState(macSecret, input.recipientNonce, input.authPacket);
  const ackMac = macState(macSecret, input.initiatorNonce, input.ackPacket);
  return input.initiator
    ? { aesSecret, macSecret, egressMac: authMac, ingressMac: ackMac }
    : { aesSecret, macSecret, egressMac: ackMac, ingressMac: authMac };
}
