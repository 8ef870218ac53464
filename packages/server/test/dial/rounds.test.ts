import type { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { dialEnvs, runRounds, testNode, testNodes } from './harness.ts';

const env = dialEnvs();

describe('DialScheduler rounds: dynamic dials', () => {
  it('keeps counting a dial whose node connected to us inbound meanwhile', async () => {
    const e = env({ maxDialedPeers: 1 });
    const [a, b] = testNodes(300, 2) as [Node, Node];
    await runRounds(e, [
      { discovered: [a, b], wantNewDials: [a] },
      // a dials us while our dial to a runs: the one dynamic slot is still taken by that dial.
      { peersAdded: [a], wantNewDials: [] },
    ]);
  });

  it('fills the dynamic slots, half from random nodes and half from lookups', async () => {
    const e = env({ maxDialedPeers: 10 });
    const table = testNodes(100, 20) as [Node, Node, Node, Node, Node, Node, Node, ...Node[]];
    const found = testNodes(200, 20) as [Node, Node, Node, Node, Node, Node, ...Node[]];
    e.source.setTable(table);
    await runRounds(e, [
      { discovered: found, wantNewDials: [...table.slice(0, 5), ...found.slice(0, 5)] },
      // Two succeed, two fail: each failure frees a slot of its own kind.
      {
        succeeded: [table[0], found[0]],
        failed: [table[1], found[1]],
        wantNewDials: [table[5], found[5]],
      },
      // A dynamic peer that leaves frees its slot.
      { peersRemoved: [table[0]], wantNewDials: [table[6]] },
      // Inbound peers take no dynamic slot.
      { peersAdded: testNodes(300, 5), wantNewDials: [] },
    ]);
    expect(e.scheduler.metrics.candidates.random).toBeGreaterThanOrEqual(7);
  });

  it('gives lookups every slot when the table has nothing', async () => {
    const e = env({ maxDialedPeers: 6 });
    const found = testNodes(200, 10);
    await runRounds(e, [
      { discovered: found, wantNewDials: found.slice(0, 6) },
      { failed: found.slice(0, 2), wantNewDials: found.slice(6, 8) },
    ]);
  });

  it('runs at most 16 dials at once', async () => {
    const e = env({ maxDialedPeers: 50 });
    const found = testNodes(200, 40);
    await runRounds(e, [
      { discovered: found, wantNewDials: found.slice(0, 16) },
      { wantNewDials: [] },
      { failed: found.slice(0, 3), wantNewDials: found.slice(16, 19) },
      // A success frees a dial task too; the slot it fills is no longer free.
      { succeeded: found.slice(3, 5), wantNewDials: found.slice(19, 21) },
    ]);
    expect(e.scheduler.activeDials).toBe(16);
  });

  it('honours a smaller maxActiveDials', async () => {
    const e = env({ maxDialedPeers: 10, maxActiveDials: 2 });
    const found = testNodes(200, 5) as [Node, Node, Node, ...Node[]];
    await runRounds(e, [
      { discovered: found, wantNewDials: found.slice(0, 2) },
      { failed: [found[0]], wantNewDials: [found[2]] },
    ]);
  });

  it('dials nothing dynamic with maxDialedPeers 0, but still dials static nodes', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 0, staticNodes: [s] });
    e.source.setTable(testNodes(100, 5));
    await runRounds(e, [{ discovered: testNodes(200, 5), wantNewDials: [s] }]);
    expect(e.source.lookupCalls).toBe(0);
  });

  it('does not dial a node again within 35 s, and does after', async () => {
    const e = env({ maxDialedPeers: 4 });
    const [a, b] = testNodes(200, 2) as [Node, Node];
    await runRounds(e, [
      { discovered: [a], wantNewDials: [a] },
      { failed: [a], wantNewDials: [] },
      { advanceMs: 34_999, discovered: [a, b], wantNewDials: [b] },
      { advanceMs: 1, discovered: [a], wantNewDials: [a] },
    ]);
    expect(e.starts.map((s) => s.startedAt)).toEqual([0, 34_999, 35_000]);
    expect(e.scheduler.metrics.skipped['recently-dialed']).toBe(1);
  });

  it('refills from buffered lookup nodes when slots free up', async () => {
    const e = env({ maxDialedPeers: 2 });
    const found = testNodes(200, 4) as [Node, Node, Node, Node];
    await runRounds(e, [
      { discovered: found, wantNewDials: found.slice(0, 2) },
      { advanceMs: 10_000, failed: [found[1]], wantNewDials: [found[2]] },
    ]);
    const refill = e.starts.at(-1);
    expect(refill?.startedAt).toBe(10_000);
    expect(refill?.discoveredAt).toBe(0);
    expect(e.scheduler.metrics.latency.maxMs).toBe(10_000);
  });
});
