import { bytesToHex } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { deriveSecrets, readAck, readAuth } from '../../src/handshake/index.ts';
import * as v from './vectors.ts';

describe('auth vectors (decrypted with keyB)', () => {
  it.each([
    ['Auth₁ (pre-EIP-8)', v.auth1, 4, false, 307],
    ['Auth₂ (EIP-8, version 4)', v.auth2, 4, true, 437],
    ['Auth₃ (EIP-8, version 56, extra elements)', v.auth3, 56, true, 442],
  ])('%s decodes to the listed fields', (_name, packet, version, eip8, length) => {
    expect(packet.length).toBe(length);
    const auth = readAuth(v.keyB, packet);
    expect(auth.initiatorPublicKey).toEqual(v.pubA);
    expect(auth.initiatorNonce).toEqual(v.nonceA);
    expect(auth.remoteEphemeralPublicKey).toEqual(v.ephPubA);
    expect(auth.version).toBe(version);
    expect(auth.eip8).toBe(eip8);
  });
});

describe('ack vectors (decrypted with keyA)', () => {
  it.each([
    ['Ack₁ (pre-EIP-8)', v.ack1, 4, false, 210],
    ['Ack₂ (EIP-8, version 4)', v.ack2, 4, true, 492],
    ['Ack₃ (EIP-8, version 57, extra elements)', v.ack3, 57, true, 498],
  ])('%s decodes to the listed fields', (_name, packet, version, eip8, length) => {
    expect(packet.length).toBe(length);
    const ack = readAck(v.keyA, packet);
    expect(ack.remoteEphemeralPublicKey).toEqual(v.ephPubB);
    expect(ack.recipientNonce).toEqual(v.nonceB);
    expect(ack.version).toBe(version);
    expect(ack.eip8).toBe(eip8);
  });
});

describe('secrets from (Auth₂, Ack₂)', () => {
  const auth = readAuth(v.keyB, v.auth2);
  const ack = readAck(v.keyA, v.ack2);
  const common = {
    initiatorNonce: v.nonceA,
    recipientNonce: v.nonceB,
    authPacket: v.auth2,
    ackPacket: v.ack2,
  };
  const recipient = deriveSecrets({
    ...common,
    initiator: false,
    localEphemeralKey: v.ephB,
    remoteEphemeralPublicKey: auth.remoteEphemeralPublicKey,
  });
  const initiator = deriveSecrets({
    ...common,
    initiator: true,
    localEphemeralKey: v.ephA,
    remoteEphemeralPublicKey: ack.remoteEphemeralPublicKey,
  });
  const foo = new TextEncoder().encode('foo');

  it('gives the listed aes-secret and mac-secret on B', () => {
    expect(bytesToHex(recipient.aesSecret)).toBe(v.aesSecret);
    expect(bytesToHex(recipient.macSecret)).toBe(v.macSecret);
  });

  it('gives the listed ingress-MAC digest on B after absorbing "foo"', () => {
    expect(bytesToHex(recipient.ingressMac.update(foo).digest())).toBe(v.ingressFooDigest);
  });

  it("gives A the same secrets, with A's egress MAC equal to B's ingress MAC", () => {
    expect(initiator.aesSecret).toEqual(recipient.aesSecret);
    expect(initiator.macSecret).toEqual(recipient.macSecret);
    expect(bytesToHex(initiator.egressMac.update(foo).digest())).toBe(v.ingressFooDigest);
    const bar = new TextEncoder().encode('bar');
    expect(initiator.ingressMac.update(bar).digest()).toEqual(
      recipient.egressMac.update(bar).digest(),
    );
  });
});
