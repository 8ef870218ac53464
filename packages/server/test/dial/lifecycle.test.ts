import { MemoryLogger } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DialError } from '../../src/dial/errors.ts';
import { DialScheduler } from '../../src/dial/scheduler.ts';
import { dialEnvs, runRounds, testNode, testNodes } from './harness.ts';

const env = dialEnvs();

describe('DialScheduler: discovery-to-dial latency', () => {
  it('starts the dial in the same clock tick as the lookup yields the node', async () => {
    const e = env({ maxDialedPeers: 4 });
    e.scheduler.start();
    await e.advance(12_345, 1_000);
    const node = testNode(200);
    e.source.discover(node);
    await e.settle();
    expect(e.dialer.calls.map((c) => c.at)).toEqual([12_345]);
    expect(e.starts).toHaveLength(1);
    expect(e.starts[0]).toMatchObject({ origin: 'lookup', static: false, attempt: 1 });
    expect(e.starts[0]?.discoveredAt).toBe(12_345);
    expect(e.starts[0]?.startedAt).toBe(12_345);
    expect(e.scheduler.metrics.latency).toEqual({ count: 1, totalMs: 0, maxMs: 0 });
  });

  it('dials each node of a running lookup as it arrives, not when the lookup ends', async () => {
    const e = env({ maxDialedPeers: 10 });
    e.scheduler.start();
    await e.settle();
    const nodes = testNodes(200, 3);
    for (const [i, node] of nodes.entries()) {
      await e.advance(500);
      e.source.discover(node);
      await e.settle();
      expect(e.dialer.calls).toHaveLength(i + 1);
      expect(e.source.activeLookups).toBe(1);
    }
    expect(e.starts.map((s) => s.startedAt - (s.discoveredAt ?? Number.NaN))).toEqual([0, 0, 0]);
  });
});

describe('DialScheduler: timeouts, pacing and waits', () => {
  it('aborts a dial after 15 s with a TIMEOUT DialError', async () => {
    const e = env();
    const node = testNode(200);
    await runRounds(e, [{ discovered: [node], wantNewDials: [node] }]);
    const call = e.dialer.pending(node);
    await e.advance(14_999);
    expect(call.signal.aborted).toBe(false);
    await e.advance(1);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBeInstanceOf(DialError);
    expect((call.signal.reason as DialError).code).toBe('TIMEOUT');
    expect(e.dones).toHaveLength(1);
    expect((e.dones[0]?.error as DialError | undefined)?.code).toBe('TIMEOUT');
    expect(e.dones[0]?.endedAt).toBe(15_000);
    expect(e.scheduler.metrics).toMatchObject({ timedOut: 1, failed: 1, activeDials: 0 });
  });

  it('frees the slot at the timeout even if the dial function ignores its signal', async () => {
    const e = env({ maxDialedPeers: 1 });
    e.dialer.ignoreAbort = true;
    const [a, b] = testNodes(200, 2) as [Node, Node];
    await runRounds(e, [
      { discovered: [a, b], wantNewDials: [a] },
      { advanceMs: 15_000, wantNewDials: [b] },
    ]);
  });

  it('spaces lookups 4 s apart and does not spin when they find nothing', async () => {
    const e = env({ finishLookups: true });
    e.scheduler.start();
    await e.settle();
    await e.advance(40_000, 500);
    // t = 0, 4, 8, ..., 40 s
    expect(e.source.lookupCalls).toBe(11);
    expect(e.scheduler.metrics.lookups).toBe(11);
  });

  it('reopens an empty random-nodes stream only every 4 s', async () => {
    const e = env({ finishLookups: true });
    e.scheduler.start();
    await e.settle();
    await e.advance(10_000, 500);
    expect(e.source.randomCalls).toBe(3); // t = 0, 4, 8 s
  });

  it('backs off a random-nodes stream that offers only unusable nodes', async () => {
    const e = env({ maxDialedPeers: 10 });
    const table = testNodes(100, 200);
    for (const node of table) e.scheduler.peerAdded(node, { dialed: 'inbound' });
    e.source.setTable(table);
    e.scheduler.start();
    await e.settle();
    expect(e.source.randomCalls).toBe(1);
    expect(e.scheduler.metrics.skipped.connected).toBe(64);
    await e.advance(3_999);
    expect(e.source.randomCalls).toBe(1);
    await e.advance(1);
    expect(e.source.randomCalls).toBe(2);
    expect(e.scheduler.metrics.skipped.connected).toBe(128);
  });

  it('leaves only the history timer armed when nothing else can run (waitExpireTask)', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s], noSource: true });
    await runRounds(e, [{ wantNewDials: [s] }, { failed: [s], wantNewDials: [] }]);
    expect(e.clock.pending).toBe(1);
    await runRounds(e, [{ advanceMs: 35_000, wantNewDials: [s] }]);
  });
});

describe('DialScheduler: lifecycle', () => {
  it('stop() aborts dials, lookups and waits, and leaves no timer', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 4, staticNodes: [s] });
    const found = testNodes(200, 6);
    const table = testNodes(100, 1);
    e.source.setTable(table);
    await runRounds(e, [
      { discovered: found.slice(0, 2), wantNewDials: [s, ...table, ...found.slice(0, 2)] },
    ]);
    const dialing = e.dialer.active;
    expect(dialing.length).toBeGreaterThan(0);
    expect(e.clock.pending).toBeGreaterThan(0);
    await e.scheduler.stop();
    expect(e.clock.pending).toBe(0);
    expect(e.source.activeLookups).toBe(0);
    expect(e.scheduler.activeDials).toBe(0);
    for (const call of dialing) {
      expect(call.signal.aborted).toBe(true);
      expect((call.signal.reason as DialError).code).toBe('CLOSED');
    }
    expect(e.dones.map((d) => (d.error as DialError).code)).toEqual(dialing.map(() => 'CLOSED'));
    // Nothing starts after stop, whatever happens.
    e.source.discover(...found.slice(2));
    e.scheduler.peerRemoved(s);
    await e.advance(60_000);
    expect(e.dialer.calls).toHaveLength(dialing.length);
    await e.scheduler.stop();
    expect(() => e.scheduler.start()).toThrow(DialError);
  });

  it('stop() before start() is fine', async () => {
    const e = env();
    await e.scheduler.stop();
    expect(e.clock.pending).toBe(0);
  });

  it('survives a throwing event listener', async () => {
    const logger = new MemoryLogger();
    const e = env({ logger });
    e.scheduler.events.on('dial:start', () => {
      throw new Error('listener bug');
    });
    const node = testNode(200);
    await runRounds(e, [{ discovered: [node], wantNewDials: [node] }]);
    expect(e.scheduler.activeDials).toBe(1);
    expect(logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('rejects bad options and arguments', () => {
    const dial = async (): Promise<void> => undefined;
    const self = testNode(1).id;
    expect(() => new DialScheduler({ self, maxDialedPeers: -1, dial })).toThrow(RangeError);
    expect(() => new DialScheduler({ self, maxDialedPeers: 1.5, dial })).toThrow(RangeError);
    expect(() => new DialScheduler({ self, maxDialedPeers: 1, maxActiveDials: 0, dial })).toThrow(
      RangeError,
    );
    expect(() => new DialScheduler({ self: new Uint8Array(3), maxDialedPeers: 1, dial })).toThrow(
      RangeError,
    );
    expect(() => new DialScheduler({ self, maxDialedPeers: 1, dial: undefined as never })).toThrow(
      TypeError,
    );
    const scheduler = new DialScheduler({ self, maxDialedPeers: 1, dial });
    expect(() => scheduler.addStatic({} as Node)).toThrow(TypeError);
    expect(() => scheduler.peerAdded(testNode(2), { dialed: 'other' as never })).toThrow(TypeError);
  });
});
