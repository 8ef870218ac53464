import { type Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { DialReputation } from '../../src/dial/types.ts';
import { DIAL_MIN_REPUTATION, REPUTATION_UNIT } from '../../src/reputation/constants.ts';
import { dialEnvs, nodeName, runRounds, testNodes } from './harness.ts';

const env = dialEnvs();

/** A reputation stand-in: scores and bans set by the test. */
function fakeReputation(): DialReputation & {
  scores: Map<string, number>;
  banned: Set<string>;
} {
  const scores = new Map<string, number>();
  const banned = new Set<string>();
  return {
    scores,
    banned,
    isBanned: (key) => banned.has(key),
    score: (key) => scores.get(key) ?? 0,
  };
}

describe('DialScheduler: reputation', () => {
  it('never dials a banned node, static or dynamic, and skips low-scored candidates', async () => {
    const reputation = fakeReputation();
    const [bannedStatic, bannedDynamic, low, fine] = testNodes(300, 4) as [Node, Node, Node, Node];
    reputation.banned.add(nodeIdToHex(bannedStatic.id));
    reputation.banned.add(nodeIdToHex(bannedDynamic.id));
    reputation.scores.set(nodeIdToHex(low.id), DIAL_MIN_REPUTATION - 1);
    reputation.scores.set(nodeIdToHex(fine.id), DIAL_MIN_REPUTATION);
    const e = env({ reputation, staticNodes: [bannedStatic] });
    await runRounds(e, [
      { discovered: [bannedDynamic, low, fine], wantNewDials: [fine] },
      { advanceMs: 0, wantNewDials: [] },
    ]);
    // Candidates are counted; static nodes are checked every pass and not counted.
    expect(e.scheduler.metrics.skipped.banned).toBe(1);
    expect(e.scheduler.metrics.skipped['low-reputation']).toBe(1);
    // Unbanned: the static node is dialed on the next pass.
    reputation.banned.delete(nodeIdToHex(bannedStatic.id));
    e.scheduler.addStatic(bannedStatic);
    await runRounds(e, [{ wantNewDials: [bannedStatic] }]);
  });

  it('dials buffered candidates best score first; unknown nodes before penalized ones', async () => {
    const reputation = fakeReputation();
    const nodes = testNodes(400, 5);
    const [first, unknown, good, better, penalized] = nodes as [Node, Node, Node, Node, Node];
    reputation.scores.set(nodeIdToHex(good.id), REPUTATION_UNIT);
    reputation.scores.set(nodeIdToHex(better.id), 4 * REPUTATION_UNIT);
    reputation.scores.set(nodeIdToHex(penalized.id), -4 * REPUTATION_UNIT);
    const e = env({ reputation, maxActiveDials: 1, maxDialedPeers: 10 });
    e.scheduler.start();
    e.source.discover(first);
    await e.settle();
    expect(e.newDials().map((c) => nodeName(c.node))).toEqual([nodeName(first)]);
    // While the one dial task is busy, the rest are buffered; each failure frees it.
    e.source.discover(penalized, unknown, good, better);
    await e.settle();
    const order: string[] = [];
    let current = first;
    for (let i = 0; i < 4; i++) {
      e.fail(current);
      await e.settle();
      const [next] = e.newDials();
      if (next === undefined) break;
      order.push(nodeName(next.node));
      current = next.node;
    }
    expect(order).toEqual([better, good, unknown, penalized].map(nodeName));
  });
});
