/** The session cache: LRU cap, idle expiry, per-IP limit and nonces that never repeat. */
import { SimulatedClock, systemRandom } from '@ethp2p/base';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { type Session, SessionCache } from '../../../src/v5/session/session-cache.ts';

function session(ip = '10.0.0.1', port = 1): Session {
  const node = Node.fromPublicKey(publicKey(generatePrivateKey()));
  return {
    node,
    endpoint: { ip, port },
    writeKey: new Uint8Array(16),
    readKey: new Uint8Array(16),
  };
}

function cache(clock: SimulatedClock, capacity = 3, maxPerIp = 10): SessionCache {
  return new SessionCache({
    clock,
    random: systemRandom,
    capacity,
    timeoutMs: 5000,
    maxPerIp,
    exemptIp: (ip) => ip === '127.0.0.1',
  });
}

describe('SessionCache', () => {
  it('drops the least recently used session beyond its capacity', () => {
    const c = cache(new SimulatedClock(0));
    const [s1, s2, s3, s4] = [session(), session(), session(), session()];
    for (const s of [s1, s2, s3]) expect(c.store(s)).toBe('stored');
    expect(c.get(s1.node.id, s1.endpoint)).toBe(s1);
    c.store(s4);
    expect(c.size).toBe(3);
    expect(c.get(s2.node.id, s2.endpoint)).toBeUndefined();
    expect(c.get(s1.node.id, s1.endpoint)).toBe(s1);
  });

  it('keys sessions by node and endpoint, and forgets idle ones', () => {
    const clock = new SimulatedClock(0);
    const c = cache(clock);
    const s = session();
    c.store(s);
    expect(c.get(s.node.id, { ip: '10.0.0.1', port: 2 })).toBeUndefined();
    clock.advance(4999);
    expect(c.get(s.node.id, s.endpoint)).toBe(s);
    clock.advance(5000);
    expect(c.get(s.node.id, s.endpoint)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('limits sessions per IP, except for exempt IPs, and frees the share on removal', () => {
    const c = cache(new SimulatedClock(0), 100, 2);
    const [s1, s2] = [session(), session()];
    expect(c.store(s1)).toBe('stored');
    expect(c.store(s2)).toBe('stored');
    expect(c.store(session())).toBe('ip-limit');
    expect(c.store(s2)).toBe('stored');
    c.delete(s1.node.id, s1.endpoint);
    expect(c.store(session())).toBe('stored');
    for (let i = 0; i < 5; i++) expect(c.store(session('127.0.0.1', i + 1))).toBe('stored');
  });

  it('makes nonces from a per-session counter and random bytes', () => {
    const c = cache(new SimulatedClock(0));
    const s = session();
    c.store(s);
    const nonces = Array.from({ length: 300 }, () => c.nextNonce(s));
    expect(new Set(nonces.map(bytesToHex)).size).toBe(300);
    expect(nonces.map((n) => new DataView(n.buffer).getUint32(0))).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
  });
});
