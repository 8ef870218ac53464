/**
 * Lookup statistics (issue 18): every lookup reports queries, replies, failures, timeouts, nodes
 * seen, the depth of its query chain and its result, once, when it ends.
 */
import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import { type Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { lookupBatches, runLookup } from '../../src/lookup/lookup.ts';
import type { LookupStats } from '../../src/lookup/stats.ts';
import { closestTo, FakeNetwork, ids, kademliaKnowledge, makeNodes } from './fake-network.ts';

const [SELF, A, B, C, D, E] = makeNodes(6) as [Node, Node, Node, Node, Node, Node];

/** A chain: the table holds A; A knows B, D (times out) and E (fails); B knows C; C knows none. */
function chain(): FakeNetwork {
  const net = new FakeNetwork([SELF, A, B, C, D, E], () => [], seededRandom(1));
  const hex = (n: Node) => nodeIdToHex(n.id);
  net.answers.set(hex(A), [B, D, E]);
  net.answers.set(hex(B), [C, A]);
  net.answers.set(hex(C), []);
  net.behaviour.set(hex(D), 'timeout');
  net.behaviour.set(hex(E), 'fail');
  return net;
}

describe('lookup statistics', () => {
  it('count queries, replies, failures, timeouts, seen nodes and hops along a chain', async () => {
    const net = chain();
    const clock = new SimulatedClock(5000);
    const reports: LookupStats[] = [];
    const target = publicKey(generatePrivateKey());
    const result = await runLookup(
      {
        ...net.deps(SELF.id, [A]),
        clock,
        kind: 'refresh',
        isTimeout: (err) => err instanceof Error && err.message === 'timeout',
        onDone: (s) => reports.push(s),
      },
      target,
    );
    expect(reports).toHaveLength(1);
    const stats = reports[0] as LookupStats;
    expect(stats).toMatchObject({
      kind: 'refresh',
      queried: 5,
      replies: 3,
      failures: 2,
      timeouts: 1,
      seen: 5,
      hops: 3,
      end: 'converged',
      startedAtMs: 5000,
      endedAtMs: 5000,
    });
    expect(stats.targetId).toEqual(keccak256(target));
    expect(ids(stats.result)).toEqual(ids(result));
    expect(net.calls).toHaveLength(stats.queried);
  });

  it('match the real work of a lookup on a Kademlia-like network', async () => {
    const nodes = makeNodes(200);
    const [self, ...others] = nodes as [(typeof nodes)[0], ...typeof nodes];
    const net = new FakeNetwork(nodes, kademliaKnowledge(16, 32, seededRandom(3)), seededRandom(3));
    const table = kademliaKnowledge(16, 16, seededRandom(4))(self, nodes);
    let stats: LookupStats | undefined;
    const target = publicKey(generatePrivateKey());
    const result = await runLookup(
      { ...net.deps(self.id, table), onDone: (s) => (stats = s) },
      target,
    );
    expect(stats?.queried).toBe(net.calls.length);
    expect(stats?.replies).toBe(net.calls.length);
    expect(stats?.failures).toBe(0);
    expect(stats?.hops).toBeGreaterThanOrEqual(1);
    expect(stats?.hops).toBeLessThanOrEqual(stats?.queried ?? 0);
    expect(stats?.seen).toBeGreaterThanOrEqual(result.length);
    expect(stats?.kind).toBe('lookup');
    expect(ids(stats?.result ?? [])).toEqual(ids(closestTo(keccak256(target), others, 16)));
  });

  it('are reported as aborted when the consumer leaves early, and for an empty table', async () => {
    const net = chain();
    const reports: LookupStats[] = [];
    const deps = { ...net.deps(SELF.id, [A]), onDone: (s: LookupStats) => reports.push(s) };
    const batches = lookupBatches(deps, publicKey(generatePrivateKey()));
    const first = await batches.next();
    expect(first.value).toEqual([A]);
    await batches.return([]);
    expect(reports).toMatchObject([{ end: 'aborted', queried: 0, seen: 1, hops: 0 }]);

    await runLookup({ ...net.deps(SELF.id, []), onDone: (s) => reports.push(s) }, A.publicKey);
    expect(reports[1]).toMatchObject({ end: 'converged', queried: 0, seen: 0, result: [] });
  });

  it('are reported as aborted when the signal aborts mid-lookup', async () => {
    const net = chain();
    net.behaviour.set(nodeIdToHex(B.id), 'hang');
    const reports: LookupStats[] = [];
    const controller = new AbortController();
    const running = runLookup(
      { ...net.deps(SELF.id, [A]), onDone: (s) => reports.push(s) },
      publicKey(generatePrivateKey()),
      { signal: controller.signal },
    );
    await waitFor(() => net.calls.length >= 2, { what: 'B was asked' });
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.end).toBe('aborted');
    expect(reports[0]?.queried).toBeGreaterThanOrEqual(2);
  });
});
