import { seededRandom } from '@ethp2p/base';
import { generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { logDistance, nodeIdToHex } from '@ethp2p/enode';
import { beforeEach, describe, expect, it } from 'vitest';
import { ALPHA, LOOKUP_RESULT_SIZE, lookupBatches, runLookup } from '../../src/lookup/lookup.ts';
import {
  closestTo,
  FakeNetwork,
  flush,
  ids,
  kademliaKnowledge,
  makeNodes,
} from './fake-network.ts';

const NODES = makeNodes(300);
const [SELF, ...OTHERS] = NODES as [Node, ...Node[]];
const SELF_ID = SELF.id;

function randomTarget(): Uint8Array {
  return publicKey(generatePrivateKey());
}

/**
 * A target in the half of the ID space away from the local node, where its table knows only a
 * sample, so that the first replies always bring new nodes.
 */
function farTarget(): Uint8Array {
  for (;;) {
    const target = randomTarget();
    if (logDistance(SELF_ID, keccak256(target)) === 256) return target;
  }
}

function network(seed = 1): FakeNetwork {
  return new FakeNetwork(NODES, kademliaKnowledge(16, 64, seededRandom(seed)), seededRandom(seed));
}

/** What the local node's table would hold: Kademlia knowledge of the local node. */
const TABLE = kademliaKnowledge(16, 16, seededRandom(99))(SELF, NODES);

describe('runLookup', () => {
  let net: FakeNetwork;
  beforeEach(() => {
    net = network();
  });

  it('converges on the true 16 closest with at most alpha queries in flight', async () => {
    for (let i = 0; i < 8; i++) {
      const target = randomTarget();
      const result = await runLookup(net.deps(SELF_ID, TABLE), target);
      expect(ids(result)).toEqual(ids(closestTo(keccak256(target), OTHERS, LOOKUP_RESULT_SIZE)));
    }
    expect(net.maxInFlight).toBe(ALPHA);
    expect(net.inFlight).toBe(0);
  });

  it('honours alpha and resultSize', async () => {
    const target = randomTarget();
    const result = await runLookup(net.deps(SELF_ID, TABLE), target, { alpha: 1, resultSize: 8 });
    expect(net.maxInFlight).toBe(1);
    expect(ids(result)).toEqual(ids(closestTo(keccak256(target), OTHERS, 8)));

    const wide = network(2);
    await runLookup(wide.deps(SELF_ID, TABLE), target, { alpha: 5 });
    expect(wide.maxInFlight).toBe(5);
  });

  it('never asks or returns the local node, even in a self lookup', async () => {
    const deps = net.deps(SELF_ID, [...TABLE, SELF]);
    const seen: Node[] = [];
    const batches = lookupBatches(deps, SELF.publicKey);
    let step = await batches.next();
    while (step.done !== true) {
      seen.push(...step.value);
      step = await batches.next();
    }
    const self = nodeIdToHex(SELF_ID);
    expect(net.calls.map((c) => nodeIdToHex(c.node.id))).not.toContain(self);
    expect(ids(seen)).not.toContain(self);
    expect(ids(step.value)).toEqual(ids(closestTo(SELF_ID, OTHERS, LOOKUP_RESULT_SIZE)));
    // Other nodes did return the local node: it was filtered, not just unknown.
    expect(net.answerOf(net.calls[0]?.node as Node, SELF_ID)).toContain(SELF);
  });

  it('asks each node at most once and never more nodes than it saw', async () => {
    const target = randomTarget();
    const deps = net.deps(SELF_ID, TABLE);
    const seen: Node[] = [];
    const batches = lookupBatches(deps, target);
    for (let step = await batches.next(); step.done !== true; step = await batches.next()) {
      seen.push(...step.value);
    }
    const asked = ids(net.calls.map((c) => c.node));
    expect(new Set(asked).size).toBe(asked.length);
    expect(new Set(ids(seen)).size).toBe(seen.length);
    for (const id of asked) expect(ids(seen)).toContain(id);
  });

  it('tolerates failing and timing-out nodes and reports every query once', async () => {
    const target = randomTarget();
    const targetId = keccak256(target);
    const near = closestTo(targetId, OTHERS, 60);
    near.forEach((n, i) => {
      const behaviours = ['fail', 'timeout', 'empty', 'answer'] as const;
      net.behaviour.set(nodeIdToHex(n.id), behaviours[i % 4] as (typeof behaviours)[number]);
    });
    const deps = net.deps(SELF_ID, TABLE);
    const seen: Node[] = [];
    const batches = lookupBatches(deps, target);
    let step = await batches.next();
    for (; step.done !== true; step = await batches.next()) seen.push(...step.value);

    expect(step.value).toHaveLength(LOOKUP_RESULT_SIZE);
    // Failed nodes stay candidates: the result is the 16 closest of everything seen.
    expect(ids(step.value)).toEqual(ids(closestTo(targetId, seen, LOOKUP_RESULT_SIZE)));
    const reported = ids(deps.tracked.map((t) => t.node));
    expect(reported.sort()).toEqual(ids(net.calls.map((c) => c.node)).sort());
    for (const t of deps.tracked) {
      const behaviour = net.behaviourOf(t.node);
      expect(t.success).toBe(behaviour === 'answer');
      if (behaviour === 'answer') expect(t.found).toEqual(net.answerOf(t.node, targetId));
      else expect(t.found).toEqual([]);
    }
    expect(deps.tracked.some((t) => !t.success)).toBe(true);
  });

  it('considers at most 16 nodes of an oversized reply', async () => {
    const [first, ...rest] = closestTo(SELF_ID, TABLE, TABLE.length) as [Node, ...Node[]];
    const reply = OTHERS.filter((n) => n !== first).slice(0, 100);
    net.answers.set(nodeIdToHex(first.id), reply);
    for (const n of rest) net.behaviour.set(nodeIdToHex(n.id), 'fail');
    const deps = net.deps(SELF_ID, [first]);
    const batches = lookupBatches(deps, SELF.publicKey, { alpha: 1 });
    expect((await batches.next()).value).toEqual([first]);
    const second = await batches.next();
    expect(ids(second.value as Node[])).toEqual(ids(reply.slice(0, 16)));
  });

  it('ends at once when the table is empty', async () => {
    const batches = lookupBatches(net.deps(SELF_ID, []), randomTarget());
    expect(await batches.next()).toEqual({ done: true, value: [] });
    expect(net.calls).toHaveLength(0);
  });

  it('rejects with the reason of an abort mid-lookup and leaves nothing pending', async () => {
    net.manual = true;
    const deps = net.deps(SELF_ID, TABLE);
    const controller = new AbortController();
    const result = runLookup(deps, randomTarget(), { signal: controller.signal });
    await flush();
    net.release(2);
    await flush();
    expect(net.calls).toHaveLength(5);
    expect(net.inFlight).toBe(3);
    const tracked = deps.tracked.length;
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(net.inFlight).toBe(0);
    expect(net.calls.every((c) => c.signal.aborted && c.signal.reason === reason)).toBe(true);
    net.release(10);
    await flush();
    expect(net.calls).toHaveLength(5);
    expect(deps.tracked).toHaveLength(tracked);
  });

  it('rejects at once with an already aborted signal', async () => {
    const reason = new Error('gone');
    const deps = net.deps(SELF_ID, TABLE);
    await expect(
      runLookup(deps, randomTarget(), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(net.calls).toHaveLength(0);
  });

  it('rethrows an error from trackRequest', async () => {
    const failure = new Error('table broke');
    const deps = {
      ...net.deps(SELF_ID, TABLE),
      trackRequest: () => {
        throw failure;
      },
    };
    await expect(runLookup(deps, randomTarget())).rejects.toBe(failure);
    expect(net.inFlight).toBe(0);
  });

  it('throws at once on bad arguments', () => {
    const deps = net.deps(SELF_ID, TABLE);
    expect(() => lookupBatches(deps, new Uint8Array(33))).toThrow(RangeError);
    expect(() => lookupBatches(deps, randomTarget(), { alpha: 0 })).toThrow(
      'options.alpha: expected a positive integer, got 0',
    );
    expect(() => lookupBatches(deps, randomTarget(), { resultSize: 1.5 })).toThrow(RangeError);
    expect(() => lookupBatches({ ...deps, selfId: new Uint8Array(4) }, randomTarget())).toThrow(
      RangeError,
    );
  });
});

/** Releases queued answers one at a time until `step` settles. */
async function pull<T>(net: FakeNetwork, step: Promise<T>): Promise<T> {
  let settled = false;
  void step.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 1000; i++) {
    await flush();
    if (settled) break;
    net.release(1);
  }
  return step;
}

describe('lookupBatches', () => {
  it('yields the seed first, then the new nodes of each reply as it arrives', async () => {
    const net = network();
    net.manual = true;
    const target = farTarget();
    const targetId = keccak256(target);
    const deps = net.deps(SELF_ID, TABLE);
    const batches = lookupBatches(deps, target);

    const seed = await batches.next();
    expect(seed.value).toEqual(closestTo(targetId, TABLE, LOOKUP_RESULT_SIZE));
    expect(net.calls).toHaveLength(0);

    const pending = batches.next();
    await flush();
    expect(net.calls).toHaveLength(ALPHA);
    const second = await pull(net, pending);
    // The replies received so far, minus what was seen before (the seed and the local node).
    const known = new Set([...ids(seed.value as Node[]), nodeIdToHex(SELF_ID)]);
    const fresh = ids(deps.tracked.flatMap((t) => t.found)).filter((id) => {
      if (known.has(id)) return false;
      known.add(id);
      return true;
    });
    expect(fresh.length).toBeGreaterThan(0);
    expect(ids(second.value as Node[])).toEqual(fresh);

    const all = [...(seed.value as Node[]), ...(second.value as Node[])];
    for (;;) {
      const r = await pull(net, batches.next());
      if (r.done === true) {
        expect(ids(r.value)).toEqual(ids(closestTo(targetId, all, LOOKUP_RESULT_SIZE)));
        break;
      }
      expect(r.value.length).toBeGreaterThan(0);
      for (const id of ids(r.value)) expect(ids(all)).not.toContain(id);
      all.push(...r.value);
    }
  });

  it('aborts the queries in flight when the consumer stops early', async () => {
    const net = network();
    net.manual = true;
    const deps = net.deps(SELF_ID, TABLE);
    const batches = lookupBatches(deps, farTarget());
    await batches.next();
    await pull(net, batches.next());
    const asked = net.calls.length;
    const unanswered = net.queued;
    expect(unanswered).toBeGreaterThan(0);
    expect(asked - unanswered).toBe(deps.tracked.length);
    expect(await batches.return([])).toEqual({ done: true, value: [] });
    expect(net.inFlight).toBe(0);
    expect(net.calls.every((c) => c.signal.aborted)).toBe(true);
    net.release(10);
    await flush();
    expect(net.calls).toHaveLength(asked);
    expect(deps.tracked).toHaveLength(asked - unanswered);
  });
});
