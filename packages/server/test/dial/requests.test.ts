import type { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { dialEnvs, runRounds, testNodes } from './harness.ts';

const env = dialEnvs();

/**
 * A burst of requests made during passes, longer than the 8 passes the scheduler used to cap a
 * burst at. (Every public method then queued its own microtask, so the cap could only bite a
 * synchronous request from inside a pass; these tests pin the one-loop guarantee itself.)
 */
const CHAIN = 20;

describe('DialScheduler: scheduling requests', () => {
  it('serves static nodes added by a listener during a pass, many times in a row', async () => {
    const chain = testNodes(500, CHAIN);
    const [first, ...rest] = chain;
    const e = env({
      maxDialedPeers: 0,
      maxActiveDials: CHAIN,
      noSource: true,
      staticNodes: first === undefined ? [] : [first],
    });
    // Each dial:start is emitted inside a pass; the listener asks for the next node then.
    e.scheduler.events.on('dial:start', () => {
      const next = rest.shift();
      if (next !== undefined) e.scheduler.addStatic(next);
    });
    // One round, no clock movement and no other event: every node of the chain is dialed.
    await runRounds(e, [{ wantNewDials: chain }]);
    expect(e.starts.every((s) => s.startedAt === 0)).toBe(true);
  });

  it('serves the request of each dial that completes at once, many times in a row', async () => {
    const nodes = testNodes(600, CHAIN);
    const e = env({ maxDialedPeers: 0, noSource: true, maxActiveDials: 1, staticNodes: nodes });
    e.dialer.succeedAtOnce = true;
    // One dial at a time: each completion frees the only dial task and requests the next pass.
    await runRounds(e, [{ wantNewDials: nodes }]);
    expect(e.dones).toHaveLength(CHAIN);
    expect(e.dones.every((d) => d.error === undefined && d.endedAt === 0)).toBe(true);
    expect(e.scheduler.activeDials).toBe(0);
  });

  it('serves a peer removal reported by a listener during a pass in the same round', async () => {
    const [s, t] = testNodes(700, 2) as [Node, Node];
    const e = env({ maxDialedPeers: 0, noSource: true, staticNodes: [s] });
    await runRounds(e, [
      { wantNewDials: [s] },
      { succeeded: [s], wantNewDials: [] },
      { advanceMs: 60_000, wantNewDials: [] },
    ]);
    // While the pass that dials t runs, s drops: it is redialed without another event.
    e.scheduler.events.on('dial:start', ({ node }) => {
      if (node === t) e.scheduler.peerRemoved(s);
    });
    e.scheduler.addStatic(t);
    await runRounds(e, [{ wantNewDials: [t, s] }]);
    expect(e.starts.slice(-2).map((x) => x.startedAt)).toEqual([60_000, 60_000]);
  });

  it('starts no more dials in a pass once a listener has stopped the scheduler', async () => {
    const nodes = testNodes(800, 5);
    const e = env({ maxDialedPeers: 0, noSource: true, maxActiveDials: 5, staticNodes: nodes });
    let stopping: Promise<void> | undefined;
    e.scheduler.events.on('dial:start', () => {
      stopping ??= e.scheduler.stop();
    });
    e.scheduler.start();
    await e.settle();
    await stopping;
    expect(e.starts).toHaveLength(1);
    expect(e.dialer.calls).toHaveLength(1);
  });
});
