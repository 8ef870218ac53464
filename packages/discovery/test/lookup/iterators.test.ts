import { SimulatedClock, seededRandom } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { LOOKUP_MIN_INTERVAL_MS, randomNodes } from '../../src/lookup/iterators.ts';
import { lookupBatches } from '../../src/lookup/lookup.ts';
import { FakeNetwork, flush, ids, kademliaKnowledge, makeNodes } from './fake-network.ts';

const NODES = makeNodes(40);

/** A scripted lookup service: lookup `i` yields `script[i]` (nothing once the script runs out). */
class FakeLookups {
  readonly clock = new SimulatedClock(5_000);
  readonly random = seededRandom(7);
  readonly starts: { atMs: number; target: Uint8Array; signal: AbortSignal }[] = [];
  readonly finished: number[] = [];
  readonly tableWaits: AbortSignal[] = [];
  /** When set, lookups hang after their first batch until aborted. */
  hang = false;
  #tableReady: (() => void) | undefined;

  readonly script: Node[][][];

  constructor(script: Node[][][]) {
    this.script = script;
  }

  lookup = (target: Uint8Array, signal: AbortSignal): AsyncGenerator<Node[], Node[]> => {
    const index = this.starts.length;
    this.starts.push({ atMs: this.clock.now(), target, signal });
    return this.#run(index, signal);
  };

  waitForTable = (signal: AbortSignal): Promise<void> => {
    this.tableWaits.push(signal);
    return new Promise<void>((resolve, reject) => {
      this.#tableReady = resolve;
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };

  /** Resolves the pending waitForTable. */
  tableReady(): void {
    this.#tableReady?.();
  }

  async *#run(index: number, signal: AbortSignal): AsyncGenerator<Node[], Node[]> {
    try {
      for (const batch of this.script[index] ?? []) {
        yield batch;
        if (this.hang) {
          await new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          });
        }
      }
      return [];
    } finally {
      this.finished.push(index);
    }
  }
}

function take(n: number, from: number): Node[] {
  return NODES.slice(from, from + n);
}

describe('randomNodes', () => {
  it('yields the nodes of successive lookups, at most one lookup start per second', async () => {
    const fake = new FakeLookups([[take(2, 0), take(1, 2)], [take(2, 3)]]);
    const it = randomNodes(fake)[Symbol.asyncIterator]();
    const first: Node[] = [];
    for (let i = 0; i < 3; i++) first.push((await it.next()).value as Node);
    expect(ids(first)).toEqual(ids(take(3, 0)));
    expect(fake.starts).toHaveLength(1);
    expect(fake.starts[0]?.target).toHaveLength(64);

    const next = it.next();
    await flush();
    expect(fake.starts).toHaveLength(1);
    expect(fake.clock.pending).toBe(1);
    fake.clock.advance(LOOKUP_MIN_INTERVAL_MS - 1);
    await flush();
    expect(fake.starts).toHaveLength(1);
    fake.clock.advance(1);
    expect(((await next).value as Node).id).toEqual(NODES[3]?.id);
    expect(fake.starts.map((s) => s.atMs)).toEqual([5_000, 5_000 + LOOKUP_MIN_INTERVAL_MS]);
    expect(fake.starts[1]?.target).not.toEqual(fake.starts[0]?.target);
    await it.return?.();
    expect(fake.clock.pending).toBe(0);
  });

  it('starts the next lookup at once when the last one took longer than the interval', async () => {
    const fake = new FakeLookups([[take(1, 0), take(1, 1)], [take(1, 2)]]);
    const it = randomNodes(fake)[Symbol.asyncIterator]();
    await it.next();
    fake.clock.advance(LOOKUP_MIN_INTERVAL_MS + 500);
    await it.next();
    expect(((await it.next()).value as Node).id).toEqual(NODES[2]?.id);
    expect(fake.clock.pending).toBe(0);
    expect(fake.starts.map((s) => s.atMs)).toEqual([5_000, 6_500]);
    await it.return?.();
  });

  it('waits for the table after a lookup that found nothing', async () => {
    const fake = new FakeLookups([[], [take(1, 0)]]);
    const it = randomNodes(fake)[Symbol.asyncIterator]();
    const next = it.next();
    await flush();
    expect(fake.starts).toHaveLength(1);
    expect(fake.tableWaits).toHaveLength(1);
    fake.clock.advance(LOOKUP_MIN_INTERVAL_MS * 5);
    await flush();
    expect(fake.starts).toHaveLength(1);
    fake.tableReady();
    expect(((await next).value as Node).id).toEqual(NODES[0]?.id);
    expect(fake.starts).toHaveLength(2);
    await it.return?.();
  });

  it('ends without throwing when aborted while pacing, and cancels its timer', async () => {
    const fake = new FakeLookups([[take(1, 0)], [take(1, 1)]]);
    const controller = new AbortController();
    const it = randomNodes(fake, { signal: controller.signal })[Symbol.asyncIterator]();
    await it.next();
    const next = it.next();
    await flush();
    expect(fake.clock.pending).toBe(1);
    controller.abort(new Error('stop'));
    expect(await next).toEqual({ done: true, value: undefined });
    expect(fake.clock.pending).toBe(0);
    expect(fake.starts).toHaveLength(1);
  });

  it('ends without throwing when aborted while waiting for the table', async () => {
    const fake = new FakeLookups([]);
    const controller = new AbortController();
    const it = randomNodes(fake, { signal: controller.signal })[Symbol.asyncIterator]();
    const next = it.next();
    await flush();
    expect(fake.tableWaits).toHaveLength(1);
    controller.abort(new Error('stop'));
    expect(await next).toEqual({ done: true, value: undefined });
    expect(fake.tableWaits[0]?.aborted).toBe(true);
    expect(fake.clock.pending).toBe(0);
  });

  it('ends without throwing when aborted during a lookup, and stops that lookup', async () => {
    const fake = new FakeLookups([[take(1, 0), take(1, 1)]]);
    fake.hang = true;
    const controller = new AbortController();
    const nodes: Node[] = [];
    const loop = (async () => {
      for await (const node of randomNodes(fake, { signal: controller.signal })) nodes.push(node);
    })();
    await flush();
    expect(nodes).toHaveLength(1);
    controller.abort(new Error('stop'));
    await loop;
    expect(fake.starts[0]?.signal.aborted).toBe(true);
    expect(fake.finished).toEqual([0]);
    expect(fake.clock.pending).toBe(0);
  });

  it('ends at once with an already aborted signal', async () => {
    const fake = new FakeLookups([[take(1, 0)]]);
    const it = randomNodes(fake, { signal: AbortSignal.abort() })[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(fake.starts).toHaveLength(0);
  });

  it('stops the running lookup when the consumer breaks', async () => {
    const fake = new FakeLookups([[take(1, 0), take(1, 1)]]);
    for await (const node of randomNodes(fake)) {
      expect(node.id).toEqual(NODES[0]?.id);
      break;
    }
    expect(fake.finished).toEqual([0]);
    expect(fake.starts[0]?.signal.aborted).toBe(true);
  });

  it('rethrows errors other than the abort', async () => {
    const fake = new FakeLookups([[]]);
    const failure = new Error('table closed');
    fake.waitForTable = () => Promise.reject(failure);
    await expect(randomNodes(fake)[Symbol.asyncIterator]().next()).rejects.toBe(failure);
  });

  it('streams nodes from real lookups over a fake network', async () => {
    const nodes = makeNodes(120);
    const [self, ...others] = nodes as [Node, ...Node[]];
    const net = new FakeNetwork(nodes, kademliaKnowledge(16, 16, seededRandom(3)), seededRandom(3));
    const deps = net.deps(self.id, others.slice(0, 10));
    const clock = new SimulatedClock();
    const controller = new AbortController();
    const iterDeps = {
      lookup: (target: Uint8Array, signal: AbortSignal) => lookupBatches(deps, target, { signal }),
      waitForTable: () => Promise.resolve(),
      clock,
      random: seededRandom(11),
    };
    const seen = new Set<string>();
    for await (const node of randomNodes(iterDeps, { signal: controller.signal })) {
      seen.add(ids([node])[0] as string);
      if (seen.size >= 60) controller.abort();
      else clock.advance(100);
    }
    expect(seen.size).toBeGreaterThanOrEqual(60);
    expect(seen.has(ids([self])[0] as string)).toBe(false);
    expect(net.inFlight).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
