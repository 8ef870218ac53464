import { MemoryLogger, SimulatedClock, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../src/db/node-db.ts';
import { Enr } from '../src/enr/record.ts';
import { EnrError } from '../src/errors.ts';
import { IPTRACK_MIN_STATEMENTS } from '../src/ip-tracker.ts';
import { LocalNode, type LocalSeqStore } from '../src/local-node.ts';

const T0 = 1_700_000_000_000; // ms
const open: { close(): Promise<void> }[] = [];

async function setup(
  options: { clock?: SimulatedClock; db?: NodeDatabase; key?: Uint8Array } = {},
) {
  const clock = options.clock ?? new SimulatedClock(T0);
  const db = options.db ?? (await NodeDatabase.open({ clock, logger: silentLogger }));
  const privateKey = options.key ?? generatePrivateKey();
  const ln = await LocalNode.create({ privateKey, db, clock });
  open.push(ln, db);
  return { clock, db, privateKey, ln };
}

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('LocalNode seq', () => {
  it('starts from the time in ms on a fresh database and signs with seq + 1', async () => {
    const { ln, db } = await setup();
    expect(ln.seq).toBe(BigInt(T0));
    const node = ln.node();
    expect(node.seq).toBe(BigInt(T0) + 1n);
    expect(node.id).toEqual(ln.id);
    // The record is a real, verifiable ENR.
    expect(Enr.decode(node.record?.encode() as Uint8Array).nodeId).toEqual(ln.id);
    await ln.close();
    expect(await db.localSeq(ln.id)).toBe(BigInt(T0) + 1n);
  });

  it('re-signs lazily: several changes cost one seq, and no change costs none', async () => {
    const { ln } = await setup();
    const first = ln.node();
    expect(ln.node()).toBe(first);
    ln.set('tcp', 30303);
    ln.set('eth', [[Uint8Array.of(1, 2, 3, 4), 0]]);
    ln.set('tcp', 30304);
    const second = ln.node();
    expect(second.seq).toBe(first.seq + 1n);
    expect(second.record?.tcp).toBe(30304);
    ln.set('tcp', 30304);
    expect(ln.node()).toBe(second);
    ln.delete('eth');
    ln.delete('eth');
    expect(ln.node().seq).toBe(second.seq + 1n);
    expect(ln.record().get('eth')).toBeUndefined();
  });

  it('never reuses a seq after a restart, even when the clock went backwards', async () => {
    const clock = new SimulatedClock(T0);
    const { ln, db, privateKey } = await setup({ clock });
    for (let i = 0; i < 5; i++) {
      ln.set('tcp', 1000 + i);
      ln.node();
    }
    const last = ln.seq;
    await ln.close();
    const earlier = new SimulatedClock(T0 - 3_600_000);
    const restarted = await LocalNode.create({ privateKey, db, clock: earlier });
    expect(restarted.node().seq).toBe(last + 1n);
    await restarted.close();
  });

  it('starts above any old seq when the database was wiped but the key kept', async () => {
    const { ln, privateKey } = await setup({ clock: new SimulatedClock(T0) });
    const old = ln.node().seq;
    const later = new SimulatedClock(T0 + 5);
    const { ln: again } = await setup({ clock: later, key: privateKey });
    expect(again.node().seq).toBeGreaterThan(old);
  });

  it('ignores an implausible stored seq, with a warning', async () => {
    const logger = new MemoryLogger();
    const privateKey = generatePrivateKey();
    const db: LocalSeqStore = {
      localSeq: async () => 2n ** 64n - 1n,
      storeLocalSeq: async () => {},
    };
    const ln = await LocalNode.create({ privateKey, db, clock: new SimulatedClock(T0), logger });
    expect(ln.node().seq).toBe(BigInt(T0) + 1n);
    expect(logger.lines.map((l) => l.msg)).toContain(
      'stored local seq is implausible, ignoring it',
    );
  });

  it('logs, and keeps working, when the seq cannot be stored', async () => {
    const logger = new MemoryLogger();
    const failing: LocalSeqStore = {
      localSeq: async () => 0n,
      storeLocalSeq: async () => {
        throw new Error('disk full');
      },
    };
    const ln = await LocalNode.create({
      privateKey: generatePrivateKey(),
      db: failing,
      clock: new SimulatedClock(T0),
      logger,
    });
    expect(ln.node().seq).toBe(BigInt(T0) + 1n);
    await ln.close();
    expect(logger.lines.map((l) => l.msg)).toContain('failed to store local seq');
  });
});

describe('LocalNode entries', () => {
  it('refuses keys it manages and oversize records, leaving the record unchanged', async () => {
    const { ln } = await setup();
    for (const key of ['id', 'secp256k1', 'ip', 'ip6', 'udp', 'udp6']) {
      expect(() => ln.set(key, 1)).toThrow(RangeError);
    }
    const before = ln.node();
    const err = (() => {
      try {
        ln.set('big', new Uint8Array(250));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(EnrError);
    expect((err as EnrError).code).toBe('TOO_LARGE');
    expect(ln.node()).toBe(before);
    expect(ln.record().get('big')).toBeUndefined();
  });
});

describe('LocalNode near the size limit', () => {
  it('accepts only entries that fit with any endpoint, so a later prediction never fails', async () => {
    const { ln } = await setup();
    ln.setFallbackIp('127.0.0.1');
    ln.setFallbackUdpPort(30303);
    let size = 0;
    for (let n = 50; n < 300; n++) {
      try {
        ln.set('big', new Uint8Array(n));
        size = n;
      } catch (err) {
        expect(err).toBeInstanceOf(EnrError);
        break;
      }
    }
    expect(size).toBeGreaterThan(50);
    const before = ln.node();
    for (let i = 0; i < IPTRACK_MIN_STATEMENTS; i++) {
      ln.udpEndpointStatement(`2001:db8::${i + 1}`, { ip: '2001:db8:ffff::ffff', port: 65000 });
    }
    const after = ln.node();
    expect(after.seq).toBe(before.seq + 1n);
    expect(after.record?.ip6).toBe('2001:db8:ffff::ffff');
    expect(after.record?.get('big')).toBeDefined();
    expect(after.record?.encode().length).toBeLessThanOrEqual(300);
  });
});

describe('LocalNode endpoint', () => {
  const statementsFrom = (ln: LocalNode, n: number, ip: string, port: number) => {
    for (let i = 0; i < n; i++) ln.udpEndpointStatement(`192.0.2.${i + 1}`, { ip, port });
  };

  it('advertises the fallback IP and UDP port until enough peers agree on another', async () => {
    const { ln } = await setup();
    ln.setFallbackIp('127.0.0.1');
    ln.setFallbackUdpPort(30303);
    expect(ln.record().ip).toBe('127.0.0.1');
    expect(ln.record().udp).toBe(30303);

    statementsFrom(ln, IPTRACK_MIN_STATEMENTS - 1, '203.0.113.5', 40404);
    const unchanged = ln.node();
    expect(unchanged.ip).toBe('127.0.0.1');

    statementsFrom(ln, IPTRACK_MIN_STATEMENTS, '203.0.113.5', 40404);
    const moved = ln.node();
    expect(moved.seq).toBe(unchanged.seq + 1n);
    expect(moved.ip).toBe('203.0.113.5');
    expect(moved.udp).toBe(40404);
    // More statements for the same endpoint change nothing.
    statementsFrom(ln, 3, '203.0.113.5', 40404);
    expect(ln.node()).toBe(moved);
  });

  it('lets a static IP win over the prediction', async () => {
    const { ln } = await setup();
    ln.setFallbackUdpPort(30303);
    statementsFrom(ln, IPTRACK_MIN_STATEMENTS, '203.0.113.5', 40404);
    ln.setStaticIp('198.51.100.1');
    expect(ln.record().ip).toBe('198.51.100.1');
    expect(ln.record().udp).toBe(30303);
  });

  it('keeps IPv4 and IPv6 apart and writes udp6 only when it differs', async () => {
    const { ln } = await setup();
    ln.setFallbackIp('127.0.0.1');
    ln.setFallbackIp('::1');
    ln.setFallbackUdpPort(30303);
    expect(ln.record().ip).toBe('127.0.0.1');
    expect(ln.record().ip6).toBe('::1');
    expect(ln.record().get('udp6')).toBeUndefined();
    for (let i = 0; i < IPTRACK_MIN_STATEMENTS; i++) {
      ln.udpEndpointStatement(`2001:db8::${i + 1}`, { ip: '2001:db8::aa', port: 40000 });
    }
    expect(ln.record().ip6).toBe('2001:db8::aa');
    expect(ln.record().udp6).toBe(40000);
    expect(ln.record().udp).toBe(30303);
  });

  it('ignores statements with unusable endpoints', async () => {
    const { ln } = await setup();
    ln.setFallbackIp('127.0.0.1');
    const before = ln.node();
    for (const endpoint of [
      { ip: 'not-an-ip', port: 1 },
      { ip: '203.0.113.5', port: 0 },
      { ip: '203.0.113.5', port: 70000 },
      { ip: '203.0.113.5', port: 1.5 },
    ]) {
      for (let i = 0; i < IPTRACK_MIN_STATEMENTS; i++) ln.udpEndpointStatement(`h${i}`, endpoint);
    }
    expect(ln.node()).toBe(before);
  });

  it('matches statement and contact hosts whatever their text form', async () => {
    const { ln } = await setup();
    ln.udpContact('198.51.100.7');
    ln.udpEndpointStatement('::ffff:198.51.100.7', { ip: '203.0.113.5', port: 30303 });
    expect(ln.predictFullConeNat()).toBe(false);
    ln.udpEndpointStatement('198.51.100.8', { ip: '203.0.113.5', port: 30303 });
    expect(ln.predictFullConeNat()).toBe(true);
  });

  it('tracks no statements for a family with a static IP', async () => {
    const { ln } = await setup();
    ln.setFallbackUdpPort(30303);
    ln.setStaticIp('198.51.100.1');
    const before = ln.node();
    statementsFrom(ln, IPTRACK_MIN_STATEMENTS, '203.0.113.5', 40404);
    expect(ln.node()).toBe(before);
    // Hosts never contacted stated an endpoint: evidence of a full-cone NAT, had it been kept.
    expect(ln.predictFullConeNat()).toBe(false);
    // The other family still tracks.
    ln.udpEndpointStatement('2001:db8::1', { ip: '2001:db8::aa', port: 40000 });
    expect(ln.predictFullConeNat()).toBe(true);
  });

  it('rejects bad static and fallback settings', async () => {
    const { ln } = await setup();
    expect(() => ln.setStaticIp('nope')).toThrow(TypeError);
    expect(() => ln.setFallbackUdpPort(65536)).toThrow(RangeError);
  });
});
