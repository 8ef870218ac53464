import { encodeBytes, encodeList, encodeUint, RlpError } from '@ethp2p/base/rlp';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAck,
  createAuth,
  deriveSecrets,
  eciesDecrypt,
  eciesEncrypt,
  handshakePacketLength,
  LEGACY_ACK_SIZE,
  MAX_HANDSHAKE_SIZE,
  mayBeLegacyHandshake,
  readAck,
  readAuth,
} from '../../src/handshake/index.ts';
import { sealEip8 } from '../../src/handshake/packet.ts';
import { RlpxError } from '../../src/index.ts';
import * as v from './vectors.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RlpxError);
    return (err as RlpxError).code;
  }
  return 'no error';
}

const key = fc.constant(null).map(() => generatePrivateKey());

describe('createAuth / readAuth', () => {
  it('round-trips with random keys and nonces', () => {
    fc.assert(
      fc.property(key, key, key, fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b, e, n) => {
        const auth = createAuth({
          privateKey: a,
          remotePublicKey: publicKey(b),
          ephemeralKey: e,
          nonce: n,
        });
        expect(auth.ephemeralKey).toBe(e);
        const read = readAuth(b, auth.packet);
        expect(read).toEqual({
          initiatorPublicKey: publicKey(a),
          remoteEphemeralPublicKey: publicKey(e),
          initiatorNonce: n,
          version: 4,
          eip8: true,
        });
      }),
      { numRuns: 20 },
    );
  });

  it('pads with 100–199 bytes by default and stays within the cap', () => {
    const b = generatePrivateKey();
    for (let i = 0; i < 20; i++) {
      const { packet } = createAuth({
        privateKey: generatePrivateKey(),
        remotePublicKey: publicKey(b),
      });
      const padding = packet.length - 2 - 113 - 169; // rlp body of a version-4 auth is 169 bytes
      expect(padding).toBeGreaterThanOrEqual(100);
      expect(padding).toBeLessThanOrEqual(199);
      expect(handshakePacketLength(packet)).toBe(packet.length);
    }
  });

  it('rejects padding that would exceed the cap with a RangeError', () => {
    const options = { privateKey: v.keyA, remotePublicKey: publicKey(v.keyB) };
    expect(() => createAuth({ ...options, padding: new Uint8Array(MAX_HANDSHAKE_SIZE) })).toThrow(
      RangeError,
    );
  });

  it('rejects an auth for another recipient', () => {
    const auth = createAuth({ privateKey: v.keyA, remotePublicKey: publicKey(v.keyB) });
    expect(codeOf(() => readAuth(v.keyA, auth.packet))).toBe('BAD_MAC');
  });

  it('rejects a tampered size prefix (it is the ECIES shared MAC data)', () => {
    const longer = v.auth2.slice();
    longer[1] = (longer[1] as number) + 1;
    expect(codeOf(() => readAuth(v.keyB, longer))).toBe('BAD_HANDSHAKE'); // length mismatch
    const shorter = v.auth2.slice(0, v.auth2.length - 1);
    shorter[1] = (shorter[1] as number) - 1; // consistent length, but the MAC covers the prefix
    expect(codeOf(() => readAuth(v.keyB, shorter))).toBe('BAD_MAC');
  });
});

describe('createAck / readAck', () => {
  it('round-trips EIP-8 and legacy acks with random keys', () => {
    fc.assert(
      fc.property(key, key, fc.boolean(), (a, e, legacy) => {
        const ack = createAck({ remotePublicKey: publicKey(a), ephemeralKey: e, legacy });
        if (legacy) expect(ack.packet.length).toBe(LEGACY_ACK_SIZE);
        expect(readAck(a, ack.packet)).toEqual({
          remoteEphemeralPublicKey: publicKey(e),
          recipientNonce: ack.nonce,
          version: 4,
          eip8: !legacy,
        });
      }),
      { numRuns: 20 },
    );
  });
});

describe('full exchange in memory', () => {
  it('gives both sides matching secrets and crossed MAC states', () => {
    const a = generatePrivateKey();
    const b = generatePrivateKey();
    const auth = createAuth({ privateKey: a, remotePublicKey: publicKey(b) });
    const got = readAuth(b, auth.packet);
    const ack = createAck({ remotePublicKey: got.initiatorPublicKey, legacy: !got.eip8 });
    const gotAck = readAck(a, ack.packet);
    const common = {
      initiatorNonce: auth.nonce,
      recipientNonce: ack.nonce,
      authPacket: auth.packet,
      ackPacket: ack.packet,
    };
    const sa = deriveSecrets({
      ...common,
      initiator: true,
      localEphemeralKey: auth.ephemeralKey,
      remoteEphemeralPublicKey: gotAck.remoteEphemeralPublicKey,
    });
    const sb = deriveSecrets({
      ...common,
      initiator: false,
      localEphemeralKey: ack.ephemeralKey,
      remoteEphemeralPublicKey: got.remoteEphemeralPublicKey,
    });
    expect(sa.aesSecret).toEqual(sb.aesSecret);
    expect(sa.macSecret).toEqual(sb.macSecret);
    expect(sa.egressMac.digest()).toEqual(sb.ingressMac.digest());
    expect(sa.ingressMac.digest()).toEqual(sb.egressMac.digest());
    expect(sa.egressMac.digest()).not.toEqual(sa.ingressMac.digest());
  });

  it('rejects a remote ephemeral key off the curve with BAD_KEY', () => {
    const bad = new Uint8Array(64).fill(1);
    const input = {
      initiator: true,
      localEphemeralKey: v.ephA,
      remoteEphemeralPublicKey: bad,
      initiatorNonce: v.nonceA,
      recipientNonce: v.nonceB,
      authPacket: v.auth2,
      ackPacket: v.ack2,
    };
    expect(codeOf(() => deriveSecrets(input))).toBe('BAD_KEY');
  });
});

describe('size prefix and legacy detection', () => {
  it('gives the total length of an EIP-8 packet from its prefix', () => {
    expect(handshakePacketLength(v.auth2.subarray(0, 2))).toBe(v.auth2.length);
    expect(handshakePacketLength(new Uint8Array([0x08, 0x00]))).toBe(MAX_HANDSHAKE_SIZE + 2);
  });

  it('rejects a prefix of 2049 with MESSAGE_TOO_BIG from the prefix alone', () => {
    expect(codeOf(() => handshakePacketLength(new Uint8Array([0x08, 0x01])))).toBe(
      'MESSAGE_TOO_BIG',
    );
    expect(codeOf(() => readAuth(v.keyB, new Uint8Array([0x08, 0x01])))).toBe('MESSAGE_TOO_BIG');
    expect(codeOf(() => readAck(v.keyA, new Uint8Array([0xff, 0xff, 0])))).toBe('MESSAGE_TOO_BIG');
  });

  it('rejects a size too small for ECIES with BAD_HANDSHAKE', () => {
    expect(codeOf(() => handshakePacketLength(new Uint8Array([0, 112])))).toBe('BAD_HANDSHAKE');
  });

  it('rejects a prefix shorter than 2 bytes with a RangeError', () => {
    expect(() => handshakePacketLength(new Uint8Array([1]))).toThrow(RangeError);
  });

  it('flags packets starting with 0x04 as possibly legacy', () => {
    expect(mayBeLegacyHandshake(v.auth1)).toBe(true);
    expect(mayBeLegacyHandshake(v.ack1)).toBe(true);
    expect(mayBeLegacyHandshake(v.auth2)).toBe(false);
  });

  it('reads a re-sealed legacy auth, and rejects one whose ephemeral hash does not match', () => {
    const plaintext = eciesDecrypt(v.keyB, v.auth1, new Uint8Array(0));
    expect(
      readAuth(v.keyB, eciesEncrypt(publicKey(v.keyB), plaintext, new Uint8Array(0))).eip8,
    ).toBe(false);
    plaintext[70] = (plaintext[70] as number) ^ 0x01; // inside keccak256(ephemeral-pubk)
    const packet = eciesEncrypt(publicKey(v.keyB), plaintext, new Uint8Array(0));
    expect(codeOf(() => readAuth(v.keyB, packet))).toBe('BAD_HANDSHAKE');
  });

  it('rejects a 307-byte packet starting with 0x04 that is not a legacy auth', () => {
    expect(codeOf(() => readAuth(v.keyB, v.auth1.slice(0, 306)))).toBe('BAD_HANDSHAKE');
    const garbage = new Uint8Array(307).fill(4);
    expect(codeOf(() => readAuth(v.keyB, garbage))).toBe('BAD_KEY');
  });
});

describe('garbage only ever throws RlpxError', () => {
  const packets = [v.auth1, v.auth2, v.auth3];
  const acks = [v.ack1, v.ack2, v.ack3];

  it('for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(() => readAuth(v.keyB, bytes)).toThrow(RlpxError);
        expect(() => readAck(v.keyA, bytes)).toThrow(RlpxError);
      }),
      { numRuns: 300 },
    );
  });

  it('for truncations and bit flips of every vector', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (i, j, bit) => {
        for (const [read, list] of [
          [(p: Uint8Array) => readAuth(v.keyB, p), packets],
          [(p: Uint8Array) => readAck(v.keyA, p), acks],
        ] as const) {
          for (const p of list) {
            expect(() => read(p.subarray(0, i % p.length))).toThrow(RlpxError);
            const flipped = p.slice();
            flipped[j % p.length] = (flipped[j % p.length] as number) ^ bit;
            expect(() => read(flipped)).toThrow(RlpxError);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('EIP-8 body decoding', () => {
  const recipient = publicKey(v.keyB);
  const fieldsOk = [
    encodeBytes(new Uint8Array(65)),
    encodeBytes(publicKey(v.keyA)),
    encodeBytes(v.nonceA),
  ];

  it.each([
    ['a body that is not a list', encodeBytes(new Uint8Array(8))],
    ['a list with too few elements', encodeList(fieldsOk)],
    [
      'a signature of the wrong size',
      encodeList([encodeBytes(new Uint8Array(64)), ...fieldsOk.slice(1), encodeUint(4)]),
    ],
    ['a version with leading zeros', encodeList([...fieldsOk, Uint8Array.of(0x82, 0, 4)])],
    ['a non-canonical length', Uint8Array.of(0xf8, 0x01, 0x80)],
    ['a truncated list', Uint8Array.of(0xc5, 0x80)],
  ])('rejects %s with BAD_HANDSHAKE, the RlpError as cause', (_what, body) => {
    const packet = sealEip8(recipient, body, new Uint8Array(100));
    let caught: unknown;
    try {
      readAuth(v.keyB, packet);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RlpxError);
    expect((caught as RlpxError).code).toBe('BAD_HANDSHAKE');
    expect((caught as RlpxError).cause).toBeInstanceOf(RlpError);
  });

  it('rejects an ack body with too few elements with BAD_HANDSHAKE', () => {
    const body = encodeList([encodeBytes(publicKey(v.ephB))]);
    const packet = sealEip8(publicKey(v.keyA), body);
    expect(codeOf(() => readAck(v.keyA, packet))).toBe('BAD_HANDSHAKE');
  });

  it('ignores extra elements and the padding after the list', () => {
    const ack = encodeList([
      encodeBytes(publicKey(v.ephB)),
      encodeBytes(v.nonceB),
      encodeUint(5),
      encodeList([encodeUint(1)]),
    ]);
    const read = readAck(v.keyA, sealEip8(publicKey(v.keyA), ack, new Uint8Array(150).fill(7)));
    expect(read).toEqual({
      remoteEphemeralPublicKey: publicKey(v.ephB),
      recipientNonce: v.nonceB,
      version: 5,
      eip8: true,
    });
  });
});
