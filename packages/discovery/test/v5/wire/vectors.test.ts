/**
 * Every vector of devp2p `discv5/discv5-wire-test-vectors.md`, byte for byte: each packet is
 * decoded (and opened) as node B, and re-encoded from its inputs as node A.
 */
import {
  aes128GcmOpen,
  aes128GcmSeal,
  bytesToHex,
  decompressPublicKey,
  ecdhCompressed,
  hexToBytes,
  publicKey,
} from '@ethp2p/crypto';
import { Enr, nodeIdFromPublicKey } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import {
  type DecodedV5Packet,
  decodeMessage,
  decodePacket,
  deriveSessionKeys,
  encodeHandshakePacket,
  encodeMessage,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  openMessage,
  sessionKeys,
  signIdNonce,
  verifyIdSignature,
} from '../../../src/v5/wire/index.ts';
import * as V from './vectors.ts';

const h = hexToBytes;
const idA = h(V.NODE_A.id);
const idB = h(V.NODE_B.id);
const privA = h(V.NODE_A.priv);
const privB = h(V.NODE_B.priv);
const ZERO_IV = new Uint8Array(16);

/** Decodes a vector packet as node B and checks its kind, source and nonce. */
function decodeVector<K extends DecodedV5Packet['kind']>(
  hex: string,
  kind: K,
): Extract<DecodedV5Packet, { kind: K }> {
  const p = decodePacket(h(hex), idB);
  expect(p.kind).toBe(kind);
  if ('srcId' in p) expect(bytesToHex(p.srcId)).toBe(V.NODE_A.id);
  return p as Extract<DecodedV5Packet, { kind: K }>;
}
const PING_REQ_ID = h('00000001');

describe('discv5 wire vectors: node IDs', () => {
  it('node-a-key and node-b-key have the IDs the vectors use', () => {
    expect(bytesToHex(nodeIdFromPublicKey(publicKey(privA)))).toBe(V.NODE_A.id);
    expect(bytesToHex(nodeIdFromPublicKey(publicKey(privB)))).toBe(V.NODE_B.id);
  });
});

describe('discv5 wire vectors: ping message packet', () => {
  const plaintext = encodeMessage({ type: 'ping', reqId: PING_REQ_ID, enrSeq: 2n });

  it('decodes and opens with the zero read-key', () => {
    const p = decodeVector(V.PING_PACKET, 'message');
    expect(bytesToHex(p.nonce)).toBe(V.NONCE);
    const opened = openMessage(p, new Uint8Array(16));
    expect(opened && decodeMessage(opened)).toEqual({
      type: 'ping',
      reqId: PING_REQ_ID,
      enrSeq: 2n,
    });
  });

  it('encodes to the same bytes', () => {
    const frame = { destId: idB, maskingIv: ZERO_IV, nonce: h(V.NONCE) };
    const packet = encodeMessagePacket(frame, idA, { key: new Uint8Array(16), plaintext });
    expect(bytesToHex(packet)).toBe(V.PING_PACKET);
  });
});

describe('discv5 wire vectors: WHOAREYOU', () => {
  it('decodes to its id-nonce, enr-seq, nonce and challenge-data', () => {
    const p = decodeVector(V.WHOAREYOU_PACKET, 'whoareyou');
    expect(bytesToHex(p.nonce)).toBe(V.REQUEST_NONCE);
    expect(bytesToHex(p.idNonce)).toBe(V.ID_NONCE);
    expect(p.enrSeq).toBe(0n);
    expect(bytesToHex(p.challengeData)).toBe(V.WHOAREYOU_CHALLENGE_DATA);
  });

  it('encodes to the same bytes and challenge-data', () => {
    const frame = { destId: idB, maskingIv: ZERO_IV, nonce: h(V.REQUEST_NONCE) };
    const { packet, challengeData } = encodeWhoareyouPacket(frame, {
      idNonce: h(V.ID_NONCE),
      enrSeq: 0n,
    });
    expect(bytesToHex(packet)).toBe(V.WHOAREYOU_PACKET);
    expect(bytesToHex(challengeData)).toBe(V.WHOAREYOU_CHALLENGE_DATA);
  });
});

const HANDSHAKES = [
  {
    name: 'ping handshake packet',
    packet: V.HANDSHAKE_PACKET,
    challengeData: V.HANDSHAKE_CHALLENGE_DATA,
    readKey: V.HANDSHAKE_READ_KEY,
    withRecord: false,
  },
  {
    name: 'ping handshake packet with ENR',
    packet: V.HANDSHAKE_ENR_PACKET,
    challengeData: V.HANDSHAKE_ENR_CHALLENGE_DATA,
    readKey: V.HANDSHAKE_ENR_READ_KEY,
    withRecord: true,
  },
];

/** node A's record in the "with ENR" vector: seq 1 and ip 127.0.0.1 (RFC 6979 makes it exact). */
function recordA(): Enr {
  return Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1' } }, privA);
}

describe.each(HANDSHAKES)('discv5 wire vectors: $name', (v) => {
  const ping = { type: 'ping', reqId: PING_REQ_ID, enrSeq: 1n } as const;

  it('decodes as node B: signature verifies, keys derive to the read-key, message opens', () => {
    const p = decodeVector(v.packet, 'handshake');
    expect(bytesToHex(p.nonce)).toBe(V.NONCE);
    expect(bytesToHex(p.ephemeralKey)).toBe(V.EPHEMERAL_PUBKEY);
    const cd = h(v.challengeData);
    expect(verifyIdSignature(publicKey(privA), p.signature, cd, p.ephemeralKey, idB)).toBe(true);
    expect(verifyIdSignature(publicKey(privB), p.signature, cd, p.ephemeralKey, idB)).toBe(false);
    const keys = sessionKeys(privB, decompressPublicKey(p.ephemeralKey), idA, idB, cd);
    expect(bytesToHex(keys.initiatorKey)).toBe(v.readKey);
    const opened = openMessage(p, keys.initiatorKey);
    expect(opened && decodeMessage(opened)).toEqual(ping);
    if (v.withRecord) {
      expect(Enr.decode(p.record).equals(recordA())).toBe(true);
    } else {
      expect(p.record.length).toBe(0);
    }
  });

  it('encodes as node A to the same bytes', () => {
    const cd = h(v.challengeData);
    const ephemeralKey = h(V.EPHEMERAL_PUBKEY);
    const keys = sessionKeys(h(V.EPHEMERAL_KEY), publicKey(privB), idA, idB, cd);
    expect(bytesToHex(keys.initiatorKey)).toBe(v.readKey);
    const packet = encodeHandshakePacket(
      { destId: idB, maskingIv: ZERO_IV, nonce: h(V.NONCE) },
      {
        srcId: idA,
        signature: signIdNonce(privA, cd, ephemeralKey, idB),
        ephemeralKey,
        record: v.withRecord ? recordA().encode() : new Uint8Array(0),
      },
      { key: keys.initiatorKey, plaintext: encodeMessage(ping) },
    );
    expect(bytesToHex(packet)).toBe(v.packet);
  });
});

describe('discv5 wire vectors: cryptographic primitives', () => {
  it('ECDH gives the compressed shared secret', () => {
    const pub = decompressPublicKey(
      h('039961e4c2356d61bedb83052c115d311acb3a96f5777296dcf297351130266231'),
    );
    const priv = h('fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736');
    expect(bytesToHex(ecdhCompressed(priv, pub))).toBe(
      '033b11a2a1f214567e1537ce5e509ffd9b21373247f2a3ff6841f4976f53165e7e',
    );
  });

  it('key derivation gives the initiator and recipient keys', () => {
    const k = V.KEY_DERIVATION;
    const keys = sessionKeys(
      h(k.ephemeralKey),
      decompressPublicKey(h(k.destPubkey)),
      h(k.nodeIdA),
      h(k.nodeIdB),
      h(k.challengeData),
    );
    expect(bytesToHex(keys.initiatorKey)).toBe(k.initiatorKey);
    expect(bytesToHex(keys.recipientKey)).toBe(k.recipientKey);
    const secret = ecdhCompressed(h(k.ephemeralKey), decompressPublicKey(h(k.destPubkey)));
    const again = deriveSessionKeys(secret, h(k.nodeIdA), h(k.nodeIdB), h(k.challengeData));
    expect(again).toEqual(keys);
  });

  it('AES-GCM encryption gives the ciphertext with its MAC, and decryption the plaintext', () => {
    const e = V.ENCRYPTION;
    const sealed = aes128GcmSeal(h(e.key), h(e.nonce), h(e.plaintext), h(e.ad));
    expect(bytesToHex(sealed)).toBe(e.ciphertext);
    const opened = aes128GcmOpen(h(e.key), h(e.nonce), h(e.ciphertext), h(e.ad));
    expect(opened === undefined ? undefined : bytesToHex(opened)).toBe(e.plaintext);
    const tampered = h(e.ciphertext);
    tampered[0] = (tampered[0] as number) ^ 1;
    expect(aes128GcmOpen(h(e.key), h(e.nonce), tampered, h(e.ad))).toBeUndefined();
  });

  it('id nonce signing gives the id-signature, which verifies', () => {
    const s = V.ID_SIGNATURE;
    const sig = signIdNonce(h(s.staticKey), h(s.challengeData), h(s.ephemeralPubkey), h(s.nodeIdB));
    expect(bytesToHex(sig)).toBe(s.signature);
    const pub = publicKey(h(s.staticKey));
    const args = [h(s.challengeData), h(s.ephemeralPubkey), h(s.nodeIdB)] as const;
    expect(verifyIdSignature(pub, h(s.signature), ...args)).toBe(true);
    const flipped = h(s.signature);
    flipped[5] = (flipped[5] as number) ^ 1;
    expect(verifyIdSignature(pub, flipped, ...args)).toBe(false);
  });
});
