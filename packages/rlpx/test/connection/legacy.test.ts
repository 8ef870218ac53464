/**
 * Pre-EIP-8 handshakes over loopback TCP, against a hand-rolled peer: our recipient answers a
 * legacy auth with a legacy ack (geth `p2p/rlpx` behaviour), and our initiator reads a legacy
 * ack. Each side then exchanges frames with an {@link RlpxConnection}, which only works if both
 * derived the same secrets from the exact packets on the wire.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#initial-handshake
 * @module
 */
import { once } from 'node:events';
import { type Socket, connect as tcpConnect } from 'node:net';
import {
  concatBytes,
  ecdhX,
  equalBytes,
  generatePrivateKey,
  keccak256,
  publicKey,
  randomBytes,
  recover,
  signRecoverable,
} from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameCodec, type FrameMessage } from '../../src/frame/index.ts';
import {
  deriveSecrets,
  eciesDecrypt,
  eciesEncrypt,
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  readAuth,
} from '../../src/handshake/index.ts';
import { accept, connect, type RlpxConnection } from '../../src/index.ts';
import * as v from '../handshake/vectors.ts';
import { listen, pattern } from './loopback.ts';

const NO_MAC_DATA = new Uint8Array(0);

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** Handshake keys of one side: static key, ephemeral key and nonce. */
interface Side {
  readonly key: Uint8Array;
  readonly ephemeralKey: Uint8Array;
  readonly nonce: Uint8Array;
}

const freshSide = (): Side => ({
  key: generatePrivateKey(),
  ephemeralKey: generatePrivateKey(),
  nonce: randomBytes(32),
});

const xor32 = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((x, i) => x ^ (b[i] ?? 0));

/** Legacy auth plaintext: sig(65) ‖ keccak(ephemeral-pubk)(32) ‖ pubk(64) ‖ nonce(32) ‖ 0x00. */
function legacyAuthPlaintext(initiator: Side, recipientPub: Uint8Array): Uint8Array {
  const token = xor32(ecdhX(initiator.key, recipientPub), initiator.nonce);
  return concatBytes(
    signRecoverable(token, initiator.ephemeralKey),
    keccak256(publicKey(initiator.ephemeralKey)),
    publicKey(initiator.key),
    initiator.nonce,
    new Uint8Array(1),
  );
}

/** Legacy ack plaintext: ephemeral-pubk(64) ‖ nonce(32) ‖ 0x00. */
function legacyAckPlaintext(recipient: Side): Uint8Array {
  return concatBytes(publicKey(recipient.ephemeralKey), recipient.nonce, new Uint8Array(1));
}

/** A legacy auth from a fresh initiator to a fresh recipient: [initiator, recipient key, auth]. */
function freshAuth(): [Side, Uint8Array, Uint8Array] {
  const initiator = freshSide();
  const recipientKey = generatePrivateKey();
  const recipientPub = publicKey(recipientKey);
  const auth = eciesEncrypt(
    recipientPub,
    legacyAuthPlaintext(initiator, recipientPub),
    NO_MAC_DATA,
  );
  return [initiator, recipientKey, auth];
}

/** A legacy ack from a fresh recipient to a fresh initiator: [initiator key, recipient, ack]. */
function freshAck(): [Uint8Array, Side, Uint8Array] {
  const initiatorKey = generatePrivateKey();
  const recipient = freshSide();
  const ack = eciesEncrypt(publicKey(initiatorKey), legacyAckPlaintext(recipient), NO_MAC_DATA);
  return [initiatorKey, recipient, ack];
}

/** Exactly `n` bytes from a paused raw socket. */
async function readBytes(socket: Socket, n: number, signal: AbortSignal): Promise<Uint8Array> {
  for (;;) {
    const chunk = socket.read(n) as Buffer | null;
    if (chunk !== null) {
      if (chunk.length !== n) throw new Error(`peer closed after ${chunk.length} of ${n} bytes`);
      return chunk;
    }
    if (socket.readableEnded || socket.destroyed) throw new Error('peer closed');
    await once(socket, 'readable', { signal });
  }
}

/** A frame reader over a paused raw socket, decoding with `codec`. */
function frames(socket: Socket, codec: FrameCodec, signal: AbortSignal) {
  let pending = codec.push(new Uint8Array(0));
  return async (): Promise<FrameMessage> => {
    for (;;) {
      const next = pending.next();
      if (!next.done) return next.value;
      const chunk = socket.read() as Buffer | null;
      if (chunk !== null) pending = codec.push(chunk);
      else if (socket.readableEnded || socket.destroyed) throw new Error('peer closed');
      else await once(socket, 'readable', { signal });
    }
  };
}

/** Exchanges two messages each way between the hand-rolled side and `conn`. */
async function exchange(
  conn: RlpxConnection,
  socket: Socket,
  codec: FrameCodec,
  signal: AbortSignal,
): Promise<void> {
  const readFrame = frames(socket, codec, signal);
  for (const [i, size] of [5, 64 * 1024].entries()) {
    socket.write(codec.encode(0x10 + i, pattern(size, i)));
    const got = await conn.readMsg();
    expect(got.code).toBe(0x10 + i);
    expect(equalBytes(got.data, pattern(size, i))).toBe(true);
    await conn.writeMsg(0x20 + i, pattern(size, 100 + i));
    const back = await readFrame();
    expect(back.code).toBe(0x20 + i);
    expect(equalBytes(back.data, pattern(size, 100 + i))).toBe(true);
  }
}

/** A raw client socket connected to a fresh listener, and the accepted server socket. */
async function rawPair(): Promise<{ client: Socket; server: Socket }> {
  const listener = await listen();
  const client = tcpConnect({ host: '127.0.0.1', port: listener.port });
  client.on('error', () => {});
  cleanup.push(() => {
    client.destroy();
    listener.close();
  });
  await once(client, 'connect', { signal: AbortSignal.timeout(10_000) });
  return { client, server: await listener.next() };
}

function track(conn: RlpxConnection): RlpxConnection {
  cleanup.push(() => conn.close());
  return conn;
}

const gethInitiator: Side = { key: v.keyA, ephemeralKey: v.ephA, nonce: v.nonceA };
const gethRecipient: Side = { key: v.keyB, ephemeralKey: v.ephB, nonce: v.nonceB };

describe('the hand-rolled legacy messages', () => {
  it("match the plaintexts of geth's Auth₁ and Ack₁", () => {
    // The signatures differ (geth's signing nonce was not RFC 6979) but sign the same token.
    const geth = eciesDecrypt(v.keyB, v.auth1, NO_MAC_DATA);
    const ours = legacyAuthPlaintext(gethInitiator, publicKey(v.keyB));
    expect(ours.length).toBe(geth.length);
    expect(ours.subarray(65)).toEqual(geth.subarray(65));
    const token = xor32(ecdhX(v.keyB, v.pubA), v.nonceA);
    expect(recover(token, geth.subarray(0, 65))).toEqual(v.ephPubA);
    expect(recover(token, ours.subarray(0, 65))).toEqual(v.ephPubA);
    expect(eciesDecrypt(v.keyA, v.ack1, NO_MAC_DATA)).toEqual(legacyAckPlaintext(gethRecipient));
    expect(v.auth1.length).toBe(LEGACY_AUTH_SIZE);
    expect(v.ack1.length).toBe(LEGACY_ACK_SIZE);
  });
});

describe('a legacy initiator dials our recipient over TCP', () => {
  it.each([
    ["geth's Auth₁ vector", gethInitiator, v.keyB, v.auth1],
    ['a fresh legacy auth', ...freshAuth()],
  ] as const)(
    '%s: answered with a legacy ack, then frames flow both ways',
    async (_, initiator, recipientKey, auth) => {
      const signal = AbortSignal.timeout(10_000);
      const { client, server } = await rawPair();
      client.write(auth);
      const accepted = accept(server, { privateKey: recipientKey, signal });
      const ack = await readBytes(client, LEGACY_ACK_SIZE, signal);
      const conn = track(await accepted);
      expect(conn.remotePublicKey).toEqual(publicKey(initiator.key));

      // A legacy ack is a bare ECIES blob (no size prefix) with no shared MAC data.
      expect(ack[0]).toBe(0x04);
      const plaintext = eciesDecrypt(initiator.key, ack, NO_MAC_DATA);
      expect(plaintext.length).toBe(97);
      expect(plaintext[96]).toBe(0);
      const secrets = deriveSecrets({
        initiator: true,
        localEphemeralKey: initiator.ephemeralKey,
        remoteEphemeralPublicKey: plaintext.subarray(0, 64),
        initiatorNonce: initiator.nonce,
        recipientNonce: plaintext.subarray(64, 96),
        authPacket: auth,
        ackPacket: ack,
      });
      await exchange(conn, client, new FrameCodec(secrets), signal);
    },
  );
});

describe('our initiator dials a recipient that answers with a legacy ack', () => {
  it.each([
    ["geth's Ack₁ vector", v.keyA, gethRecipient, v.ack1],
    ['a fresh legacy ack', ...freshAck()],
  ] as const)(
    '%s: the handshake completes, then frames flow both ways',
    async (_, initiatorKey, recipient, ack) => {
      const signal = AbortSignal.timeout(10_000);
      const listener = await listen();
      cleanup.push(() => listener.close());
      const dialed = connect('127.0.0.1', listener.port, publicKey(recipient.key), {
        privateKey: initiatorKey,
        signal,
      });
      const server = await listener.next();
      cleanup.push(() => server.destroy());

      // Our initiator always sends EIP-8: a size prefix, then that many bytes.
      const prefix = await readBytes(server, 2, signal);
      const size = ((prefix[0] as number) << 8) | (prefix[1] as number);
      const authPacket = concatBytes(prefix, await readBytes(server, size, signal));
      const auth = readAuth(recipient.key, authPacket);
      expect(auth.eip8).toBe(true);
      expect(auth.initiatorPublicKey).toEqual(publicKey(initiatorKey));
      server.write(ack);
      const conn = track(await dialed);
      expect(conn.remotePublicKey).toEqual(publicKey(recipient.key));

      const secrets = deriveSecrets({
        initiator: false,
        localEphemeralKey: recipient.ephemeralKey,
        remoteEphemeralPublicKey: auth.remoteEphemeralPublicKey,
        initiatorNonce: auth.initiatorNonce,
        recipientNonce: recipient.nonce,
        authPacket,
        ackPacket: ack,
      });
      await exchange(conn, server, new FrameCodec(secrets), signal);
    },
  );
});
