/**
 * RLPx auth and ack messages through `readAuth`/`readAck` of `@ethp2p/rlpx/handshake`, with the
 * recipient's real key. The plaintexts are mutated and sealed again with ECIES (the EIP-8 size
 * prefix as MAC data; none for pre-EIP-8 blobs), so mutations reach the EIP-8 RLP body parser,
 * the pre-EIP-8 field split, the key checks and the signature recovery; whole sealed packets are
 * mutated too (size prefix, ECIES framing, MAC).
 * @module
 */
import { concatBytes, ecdhX, keccak256, publicKey, signRecoverable } from '@ethp2p/crypto';
import { RlpxError } from '@ethp2p/rlpx';
import {
  createAck,
  createAuth,
  ECIES_OVERHEAD,
  eciesDecrypt,
  eciesEncrypt,
  readAck,
  readAuth,
} from '@ethp2p/rlpx/handshake';
import { typedErrors } from '../errors.ts';
import type { FuzzMode, FuzzRandom, FuzzTarget, TargetSpec } from '../target.ts';
import { fixedKey } from './fixtures.ts';

const EMPTY = new Uint8Array(0);
const expected = typedErrors(RlpxError);

/** ECIES to `publicKey` with the key and IV drawn from `random` (a replayable packet). */
function encrypt(
  publicKey: Uint8Array,
  plaintext: Uint8Array,
  macData: Uint8Array,
  random: FuzzRandom,
): Uint8Array {
  const ephemeralKey = fixedKey(`ecies ${random.intn(1 << 30)}`).privateKey;
  return eciesEncrypt(publicKey, plaintext, macData, { ephemeralKey, iv: random.bytes(16) });
}

/** The three modes of a handshake message: EIP-8 plaintext, pre-EIP-8 plaintext, packet. */
function modes(
  recipientPublicKey: Uint8Array,
  recipientPrivateKey: Uint8Array,
  eip8Packets: readonly Uint8Array[],
  legacyPlaintexts: readonly Uint8Array[],
  random: FuzzRandom,
): FuzzMode[] {
  const eip8Plaintexts = eip8Packets.map((p) =>
    eciesDecrypt(recipientPrivateKey, p.subarray(2), p.subarray(0, 2)),
  );
  const legacyPackets = legacyPlaintexts.map((p) => encrypt(recipientPublicKey, p, EMPTY, random));
  return [
    {
      name: 'eip8-plaintext',
      seeds: eip8Plaintexts,
      prepare: (plaintext, r) => {
        const size = (plaintext.length + ECIES_OVERHEAD) & 0xffff;
        const prefix = Uint8Array.of(size >> 8, size & 0xff);
        return concatBytes(prefix, encrypt(recipientPublicKey, plaintext, prefix, r));
      },
    },
    {
      name: 'legacy-plaintext',
      seeds: legacyPlaintexts,
      prepare: (plaintext, r) => encrypt(recipientPublicKey, plaintext, EMPTY, r),
    },
    { name: 'packet', seeds: [...eip8Packets, ...legacyPackets] },
  ];
}

/** A fixed generator for building seeds. */
function seedRandom(): FuzzRandom {
  let n = 0;
  return {
    bytes: (length) => new Uint8Array(length).fill(n++ & 0xff),
    intn: (max) => n++ % max,
  };
}

/** A target reading with `read` and the reader's `key`, seeded with its EIP-8 and legacy messages. */
function handshakeTarget(
  key: { privateKey: Uint8Array; publicKey: Uint8Array },
  eip8: readonly Uint8Array[],
  legacy: Uint8Array,
  read: (privateKey: Uint8Array, packet: Uint8Array) => unknown,
): FuzzTarget {
  return {
    modes: modes(key.publicKey, key.privateKey, eip8, [legacy], seedRandom()),
    // a little above the 2048-byte cap
    maxInputBytes: 2600,
    expected,
    run(input) {
      read(key.privateKey, input);
    },
  };
}

/** The `rlpx-auth` target. */
export const rlpxAuthTarget: TargetSpec = {
  name: 'rlpx-auth',
  decoders:
    '@ethp2p/rlpx/handshake readAuth: EIP-8 (size prefix, ECIES, RLP body) and pre-EIP-8 ' +
    '(307-byte blob) auth messages',
  create(): FuzzTarget {
    const initiator = fixedKey('rlpx initiator');
    const recipient = fixedKey('rlpx recipient');
    const ephemeral = fixedKey('rlpx auth ephemeral');
    const nonce = new Uint8Array(32).fill(0x42);
    const eip8 = [
      createAuth({ ...initiator, remotePublicKey: recipient.publicKey, nonce }),
      createAuth({
        privateKey: initiator.privateKey,
        remotePublicKey: recipient.publicKey,
        ephemeralKey: ephemeral.privateKey,
        nonce,
        padding: new Uint8Array(0),
      }),
    ].map((a) => a.packet);
    // pre-EIP-8: sig(65) ‖ keccak(ephemeral-pubk)(32) ‖ pubk(64) ‖ nonce(32) ‖ 0x00
    const token = ecdhX(initiator.privateKey, recipient.publicKey).map(
      (b, i) => b ^ (nonce[i] as number),
    );
    const legacy = concatBytes(
      signRecoverable(token, ephemeral.privateKey),
      keccak256(publicKey(ephemeral.privateKey)),
      initiator.publicKey,
      nonce,
      Uint8Array.of(0),
    );
    return handshakeTarget(recipient, eip8, legacy, readAuth);
  },
};

/** The `rlpx-ack` target. */
export const rlpxAckTarget: TargetSpec = {
  name: 'rlpx-ack',
  decoders: '@ethp2p/rlpx/handshake readAck: EIP-8 and pre-EIP-8 (210-byte blob) ack messages',
  create(): FuzzTarget {
    const initiator = fixedKey('rlpx initiator');
    const ephemeral = fixedKey('rlpx ack ephemeral');
    const nonce = new Uint8Array(32).fill(0x24);
    const options = {
      remotePublicKey: initiator.publicKey,
      ephemeralKey: ephemeral.privateKey,
      nonce,
    };
    const eip8 = [createAck(options).packet, createAck({ ...options, padding: EMPTY }).packet];
    const legacyPacket = createAck({ ...options, legacy: true }).packet;
    const legacy = eciesDecrypt(initiator.privateKey, legacyPacket, EMPTY);
    return handshakeTarget(initiator, eip8, legacy, readAck);
  },
};
