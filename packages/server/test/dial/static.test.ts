import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DialError } from '../../src/dial/errors.ts';
import { dialEnvs, runRounds, testKey, testNode } from './harness.ts';

const env = dialEnvs();

describe('DialScheduler: static nodes', () => {
  it('dials static nodes at once, flagged static, and redials them after they drop', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s] });
    await runRounds(e, [
      { wantNewDials: [s] },
      { succeeded: [s], wantNewDials: [] },
      { advanceMs: 60_000, wantNewDials: [] },
      // Connected for longer than the history expiration: redialed the moment it drops.
      { peersRemoved: [s], wantNewDials: [s] },
    ]);
    expect(e.dialer.calls.every((c) => c.flags.static)).toBe(true);
    expect(e.starts.map((x) => [x.startedAt, x.static, x.origin])).toEqual([
      [0, true, 'static'],
      [60_000, true, 'static'],
    ]);
  });

  it('redials a static node that dropped soon after its dial when the history entry expires', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s], noSource: true });
    await runRounds(e, [
      { wantNewDials: [s] },
      { advanceMs: 5_000, succeeded: [s], wantNewDials: [] },
      { advanceMs: 5_000, peersRemoved: [s], wantNewDials: [] },
      // Only the history timer (waitExpireTask) is left to wake the scheduler.
      { advanceMs: 24_999, wantNewDials: [] },
      { advanceMs: 1, wantNewDials: [s] },
    ]);
    expect(e.starts.at(-1)?.startedAt).toBe(35_000);
  });

  it('keeps retrying a failing static node every history expiration', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s], noSource: true });
    await runRounds(e, [
      { wantNewDials: [s] },
      { failed: [s], wantNewDials: [] },
      { advanceMs: 35_000, wantNewDials: [s] },
      { failed: [s], wantNewDials: [] },
      { advanceMs: 35_000, wantNewDials: [s] },
    ]);
    expect(e.clock.pending).toBe(2); // the running dial's timeout and the history wait
  });

  it('does not dial a static node that is connected inbound, and dials it when it leaves', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0 });
    e.scheduler.peerAdded(s, { dialed: 'inbound' });
    e.scheduler.addStatic(s);
    await runRounds(e, [{ wantNewDials: [] }, { peersRemoved: [s], wantNewDials: [s] }]);
  });

  it('resolves a static node whose dial failed and retries once at its new endpoint', async () => {
    const old = testNode(1, { ip: '10.0.0.1', tcp: 30303 });
    const moved = testNode(1, { ip: '10.0.0.2', tcp: 30304 });
    const e = env({ maxDialedPeers: 0, staticNodes: [old] });
    e.source.setResolve(old, moved);
    e.scheduler.start();
    await e.settle();
    e.fail(old);
    await e.settle();
    expect(e.source.resolveCalls).toHaveLength(1);
    expect(e.dialer.calls.map((c) => [c.node.ip, c.node.tcp])).toEqual([
      ['10.0.0.1', 30303],
      ['10.0.0.2', 30304],
    ]);
    expect(e.starts.map((x) => x.attempt)).toEqual([1, 2]);
    expect(e.dones).toHaveLength(0);
    e.succeed(moved);
    await e.settle();
    expect(e.dones).toHaveLength(1);
    expect(e.dones[0]?.error).toBeUndefined();
    expect(e.scheduler.staticNodes[0]?.ip).toBe('10.0.0.2');
    expect(e.scheduler.metrics).toMatchObject({ resolves: 1, retries: 1, succeeded: 1 });
  });

  it('does not retry when the endpoint is unchanged, and backs off resolving', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s] });
    e.source.setResolve(s, s);
    e.scheduler.start();
    await e.settle();
    e.fail(s);
    await e.settle();
    expect(e.source.resolveCalls).toHaveLength(1);
    expect(e.dialer.calls).toHaveLength(1);
    expect(e.dones[0]?.error).toBeInstanceOf(Error);
    // Redialed at 35 s; failing again within a minute of the resolve does not resolve again.
    await e.advance(35_000);
    e.fail(s);
    await e.settle();
    expect(e.source.resolveCalls).toHaveLength(1);
    // At 70 s, a minute after the resolve, it is resolved again.
    await e.advance(35_000);
    e.fail(s);
    await e.settle();
    expect(e.source.resolveCalls).toHaveLength(2);
    expect(e.dialer.calls).toHaveLength(3);
  });

  it('doubles the resolve wait while the node is not found', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s], historyExpirationMs: 10_000 });
    e.scheduler.start();
    await e.settle();
    const resolvedAt: number[] = [];
    for (let t = 0; t <= 400_000; t += 10_000) {
      e.fail(s);
      const before = e.source.resolveCalls.length;
      await e.settle();
      if (e.source.resolveCalls.length > before) resolvedAt.push(e.clock.now());
      await e.advance(10_000);
    }
    // Not found: the wait starts at 60 s and doubles at once (geth), so 120 s, then 240 s.
    expect(resolvedAt).toEqual([0, 120_000, 360_000]);
  });

  it('resolves a static node that has no address before dialing it', async () => {
    const bare = Node.fromPublicKey(testKey(1));
    const full = testNode(1, { ip: '10.0.0.9', tcp: 30303 });
    const e = env({ maxDialedPeers: 0, staticNodes: [bare] });
    e.source.setResolve(bare, full);
    e.scheduler.start();
    await e.settle();
    expect(e.dialer.calls.map((c) => c.node.ip)).toEqual(['10.0.0.9']);
  });

  it('fails a static node without an address that cannot be resolved', async () => {
    const bare = Node.fromPublicKey(testKey(1));
    const e = env({ maxDialedPeers: 0, staticNodes: [bare] });
    e.scheduler.start();
    await e.settle();
    expect(e.dialer.calls).toHaveLength(0);
    expect(e.dones[0]?.error).toBeInstanceOf(DialError);
    expect((e.dones[0]?.error as DialError | undefined)?.code).toBe('UNRESOLVED');
  });

  it('does not resolve a node that was removed from the static set', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s] });
    e.source.setResolve(s, testNode(1, { ip: '10.9.9.9', tcp: 1 }));
    e.scheduler.start();
    await e.settle();
    expect(e.scheduler.removeStatic(s)).toBe(true);
    e.fail(s);
    await e.advance(40_000);
    expect(e.source.resolveCalls).toHaveLength(0);
    expect(e.dialer.calls).toHaveLength(1);
  });
});
