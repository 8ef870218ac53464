/**
 * The RLPx handshake over a TCP socket, as two straight-line async functions: the initiator
 * sends auth and reads ack, the recipient reads auth and sends ack; both then derive the frame
 * secrets. Each stage either completes or throws; on any failure the socket is destroyed.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */
import type { Socket } from 'node:net';
import type { Clock } from '@ethp2p/base';
import { RlpxError } from '../errors.ts';
import { createAck, readAck } from '../handshake/ack.ts';
import { createAuth, readAuth } from '../handshake/auth.ts';
import { LEGACY_ACK_SIZE, LEGACY_AUTH_SIZE } from '../handshake/constants.ts';
import { handshakePacketLength, mayBeLegacyHandshake } from '../handshake/packet.ts';
import { deriveSecrets, type Secrets } from '../handshake/secrets.ts';
import { startDeadline } from './deadline.ts';
import { readExact } from './read-exact.ts';

/** Default time allowed for the whole handshake, in milliseconds (geth: 5 s). */
export const HANDSHAKE_TIMEOUT_MS = 5000;

/** Options shared by both handshake roles. */
export interface HandshakeOptions {
  /** Our static private key. */
  readonly privateKey: Uint8Array;
  /** Aborts the handshake; the socket is destroyed and the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /** Time allowed for the whole handshake (default {@link HANDSHAKE_TIMEOUT_MS}). */
  readonly handshakeTimeoutMs?: number;
  /** Runs the handshake deadline (default: the system clock). */
  readonly clock?: Clock;
}

/** Options of {@link initiatorHandshake}. */
export interface InitiatorHandshakeOptions extends HandshakeOptions {
  /** The recipient's 64-byte static public key (from its enode URL). */
  readonly remotePublicKey: Uint8Array;
}

/** What a completed handshake yields. */
export interface HandshakeResult {
  /** The frame secrets; the MAC states are owned by whoever builds the frame codec. */
  readonly secrets: Secrets;
  /** The peer's 64-byte static public key. */
  readonly remotePublicKey: Uint8Array;
}

/**
 * Reads one handshake packet: pre-EIP-8 (a bare `legacySize`-byte ECIES blob starting with
 * 0x04) or EIP-8 (size prefix, capped before the body is read). `parse` decrypts and checks it.
 */
async function readPacket<T>(
  socket: Socket,
  legacySize: number,
  parse: (packet: Uint8Array) => T,
  signal: AbortSignal,
): Promise<{ packet: Uint8Array; fields: T }> {
  const prefix = await readExact(socket, 2, signal);
  let head = prefix;
  if (mayBeLegacyHandshake(prefix)) {
    head = Buffer.concat([prefix, await readExact(socket, legacySize - 2, signal)]);
    try {
      return { packet: head, fields: parse(head) };
    } catch (err) {
      if (!(err instanceof RlpxError)) throw err;
      // Not a legacy packet: it is the start of an EIP-8 packet of 1026..1281 bytes.
    }
  }
  const total = handshakePacketLength(prefix);
  const packet = Buffer.concat([head, await readExact(socket, total - head.length, signal)]);
  return { packet, fields: parse(packet) };
}

/** Runs `stages` under the handshake deadline; destroys the socket if they fail. */
async function staged<T>(
  socket: Socket,
  options: HandshakeOptions,
  stages: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  options.signal?.throwIfAborted();
  const deadline = startDeadline(
    options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    'rlpx handshake',
    options.signal,
    options.clock,
  );
  try {
    return await stages(deadline.signal);
  } catch (err) {
    socket.destroy();
    throw err;
  } finally {
    deadline.clear();
  }
}

/**
 * The initiator's side: send an EIP-8 auth, read the ack (EIP-8 or legacy), derive secrets.
 * @throws {RlpxError} a handshake or ECIES code (e.g. `BAD_MAC` when the recipient is not who
 * `remotePublicKey` says), `TIMEOUT`, `CLOSED`; or the signal's reason. The socket is destroyed.
 */
export function initiatorHandshake(
  socket: Socket,
  options: InitiatorHandshakeOptions,
): Promise<HandshakeResult> {
  const { privateKey, remotePublicKey } = options;
  return staged(socket, options, async (signal) => {
    const auth = createAuth({ privateKey, remotePublicKey });
    socket.write(auth.packet);
    const ack = await readPacket(socket, LEGACY_ACK_SIZE, (p) => readAck(privateKey, p), signal);
    const secrets = deriveSecrets({
      initiator: true,
      localEphemeralKey: auth.ephemeralKey,
      remoteEphemeralPublicKey: ack.fields.remoteEphemeralPublicKey,
      initiatorNonce: auth.nonce,
      recipientNonce: ack.fields.recipientNonce,
      authPacket: auth.packet,
      ackPacket: ack.packet,
    });
    return { secrets, remotePublicKey: remotePublicKey.slice() };
  });
}

/**
 * The recipient's side: read the auth (EIP-8 or legacy), answer in the same format, derive
 * secrets.
 * @throws {RlpxError} `MESSAGE_TOO_BIG` (before reading the body), `BAD_HANDSHAKE`,
 * `BAD_SIGNATURE`, an ECIES code, `TIMEOUT`, `CLOSED`; or the signal's reason. The socket is
 * destroyed.
 */
export function recipientHandshake(
  socket: Socket,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  const { privateKey } = options;
  return staged(socket, options, async (signal) => {
    const auth = await readPacket(socket, LEGACY_AUTH_SIZE, (p) => readAuth(privateKey, p), signal);
    const remotePublicKey = auth.fields.initiatorPublicKey;
    const ack = createAck({ remotePublicKey, legacy: !auth.fields.eip8 });
    socket.write(ack.packet);
    const secrets = deriveSecrets({
      initiator: false,
      localEphemeralKey: ack.ephemeralKey,
      remoteEphemeralPublicKey: auth.fields.remoteEphemeralPublicKey,
      initiatorNonce: auth.fields.initiatorNonce,
      recipientNonce: ack.nonce,
      authPacket: auth.packet,
      ackPacket: ack.packet,
    });
    return { secrets, remotePublicKey };
  });
}
