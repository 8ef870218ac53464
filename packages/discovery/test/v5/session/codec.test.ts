/** The session codec: the handshake both ways, session reuse, and hostile handshakes. */
import { SimulatedClock, systemRandom } from '@ethp2p/base';
import { compressPublicKey, equalBytes, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, type Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { SessionCodec as Codec, type SessionCodec } from '../../../src/v5/session/codec.ts';
import {
  encodeHandshakePacket,
  encodeMessage,
  sessionKeys,
  signIdNonce,
  type V5Message,
} from '../../../src/v5/wire/index.ts';
import { type TestLocal, testLocal } from './local.ts';

const EP_A = { ip: '10.0.0.1', port: 30301 };
const EP_B = { ip: '10.0.0.2', port: 30302 };
const PING: V5Message = { type: 'ping', reqId: Uint8Array.of(1), enrSeq: 1n };

interface Side {
  local: TestLocal;
  codec: SessionCodec;
  node: Node;
}

async function side(ep: typeof EP_A, clock: SimulatedClock, limits = {}): Promise<Side> {
  const local = await testLocal(ep.ip, ep.port);
  const codec = new Codec({
    ...local,
    clock,
    random: systemRandom,
    exemptIp: () => false,
    limits,
  });
  return { local, codec, node: local.localNode.node() };
}

/** A sends `msg` to B without a session, B challenges, A answers: returns the packets. */
function handshake(a: Side, b: Side, knownOfA?: Node) {
  const first = a.codec.encodeMessage(b.node, EP_B, PING);
  const got = b.codec.decode(first.packet, EP_A);
  if (got.kind !== 'undecryptable') throw new Error(`expected undecryptable, got ${got.kind}`);
  const who = b.codec.encodeWhoareyou(got.srcId, EP_A, got.nonce, knownOfA);
  if (who.kind !== 'sent') throw new Error('whoareyou refused');
  const challenge = a.codec.decode(who.packet, EP_B);
  if (challenge.kind !== 'whoareyou') throw new Error('expected whoareyou');
  expect(equalBytes(challenge.packet.nonce, first.nonce)).toBe(true);
  const hs = a.codec.encodeHandshake(b.node, EP_B, challenge.packet, PING);
  if (hs === undefined) throw new Error('handshake refused');
  return { hs: hs.packet, challenge: challenge.packet };
}

describe('SessionCodec', () => {
  it('runs the handshake and then talks over the session both ways', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    const { hs } = handshake(a, b);
    const done = b.codec.decode(hs, EP_A);
    expect(done.kind).toBe('handshake');
    if (done.kind !== 'handshake') return;
    expect(done.message).toEqual(PING);
    expect(done.session.node.record?.equals(a.local.localNode.record())).toBe(true);
    const pong: V5Message = {
      type: 'pong',
      reqId: Uint8Array.of(1),
      enrSeq: 1n,
      ip: '10.0.0.1',
      port: 30301,
    };
    const reply = b.codec.decode(a.codec.encodeMessage(b.node, EP_B, PING).packet, EP_A);
    expect(reply.kind).toBe('message');
    const back = a.codec.decode(b.codec.encodeMessage(a.node, EP_A, pong).packet, EP_B);
    expect(back.kind === 'message' && back.message).toEqual(pong);
    expect(a.codec.sessionCount).toBe(1);
    expect(b.codec.sessionCount).toBe(1);
  });

  it('leaves the record out when the challenger knows the current one', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    const { hs } = handshake(a, b, a.node);
    const withRecord = handshake(await side(EP_A, clock), b).hs;
    expect(hs.length).toBeLessThan(withRecord.length);
    expect(b.codec.decode(hs, EP_A).kind).toBe('handshake');
  });

  it('drops a replayed handshake, a handshake without challenge, and one from elsewhere', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    const { hs } = handshake(a, b);
    expect(b.codec.decode(hs, { ip: '10.0.0.9', port: 1 })).toEqual({
      kind: 'drop',
      reason: 'unexpected-handshake',
    });
    expect(b.codec.decode(hs, EP_A).kind).toBe('handshake');
    expect(b.codec.decode(hs, EP_A)).toEqual({ kind: 'drop', reason: 'unexpected-handshake' });
  });

  it('drops a handshake whose challenge expired', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    const { hs } = handshake(a, b);
    clock.advance(1000);
    expect(b.codec.decode(hs, EP_A)).toEqual({ kind: 'drop', reason: 'unexpected-handshake' });
    expect(b.codec.challengeCount).toBe(0);
  });

  it('drops a handshake signed by another key, or carrying another node’s record', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    // A claims the ID of a node B knows, whose key A does not hold.
    const other = await side(EP_A, clock);
    const first = a.codec.encodeMessage(b.node, EP_B, PING);
    const got = b.codec.decode(first.packet, EP_A);
    if (got.kind !== 'undecryptable') throw new Error('expected undecryptable');
    const who = b.codec.encodeWhoareyou(got.srcId, EP_A, got.nonce, other.node);
    if (who.kind !== 'sent') throw new Error('refused');
    const challenge = a.codec.decode(who.packet, EP_B);
    if (challenge.kind !== 'whoareyou') throw new Error('expected whoareyou');
    const hs = a.codec.encodeHandshake(b.node, EP_B, challenge.packet, PING);
    expect(b.codec.decode(hs?.packet ?? new Uint8Array(0), EP_A)).toEqual({
      kind: 'drop',
      reason: 'bad-signature',
    });
  });

  it('drops a handshake carrying a record that is not the sender’s', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = [await side(EP_A, clock), await side(EP_B, clock)];
    const { challenge } = handshake(a, b);
    const eph = generatePrivateKey();
    const ephemeralKey = compressPublicKey(publicKey(eph));
    const cd = challenge.challengeData;
    const keys = sessionKeys(eph, b.node.publicKey, a.node.id, b.node.id, cd);
    const packet = encodeHandshakePacket(
      { destId: b.node.id, maskingIv: new Uint8Array(16), nonce: new Uint8Array(12) },
      {
        srcId: a.node.id,
        signature: signIdNonce(a.local.privateKey, cd, ephemeralKey, b.node.id),
        ephemeralKey,
        record: Enr.sign({ seq: 5n }, generatePrivateKey()).encode(),
      },
      { key: keys.initiatorKey, plaintext: encodeMessage(PING) },
    );
    expect(b.codec.decode(packet, EP_A)).toEqual({ kind: 'drop', reason: 'bad-record' });
  });

  it('keeps one challenge per node and endpoint, within the total and per-IP caps', async () => {
    const clock = new SimulatedClock(1000);
    const b = await side(EP_B, clock, { maxChallengesPerIp: 2, maxPendingChallenges: 3 });
    const nonce = new Uint8Array(12);
    const id = (n: number) => new Uint8Array(32).fill(n);
    expect(b.codec.encodeWhoareyou(id(1), EP_A, nonce, undefined).kind).toBe('sent');
    expect(b.codec.encodeWhoareyou(id(1), EP_A, nonce, undefined).kind).toBe('sent');
    expect(b.codec.challengeCount).toBe(1);
    expect(b.codec.encodeWhoareyou(id(2), EP_A, nonce, undefined).kind).toBe('sent');
    expect(b.codec.encodeWhoareyou(id(3), EP_A, nonce, undefined)).toEqual({
      kind: 'refused',
      reason: 'ip-limit',
    });
    expect(b.codec.encodeWhoareyou(id(3), { ip: '10.0.0.3', port: 1 }, nonce, undefined).kind).toBe(
      'sent',
    );
    expect(b.codec.encodeWhoareyou(id(4), { ip: '10.0.0.4', port: 1 }, nonce, undefined)).toEqual({
      kind: 'refused',
      reason: 'full',
    });
    clock.advance(1000);
    expect(b.codec.encodeWhoareyou(id(4), { ip: '10.0.0.4', port: 1 }, nonce, undefined).kind).toBe(
      'sent',
    );
    expect(b.codec.challengeCount).toBe(1);
  });

  it('refuses sessions beyond the per-IP limit', async () => {
    const clock = new SimulatedClock(1000);
    const b = await side(EP_B, clock, { maxSessionsPerIp: 1 });
    const [a1, a2] = [await side(EP_A, clock), await side(EP_A, clock)];
    expect(b.codec.decode(handshake(a1, b).hs, EP_A).kind).toBe('handshake');
    expect(b.codec.decode(handshake(a2, b).hs, EP_A)).toEqual({
      kind: 'drop',
      reason: 'session-ip-limit',
    });
  });
});
