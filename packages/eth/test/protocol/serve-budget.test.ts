/**
 * Issue 15, finding 2: one peer's requests against the serve budget, over msgPipes on one
 * simulated clock. Every body the chain looks up costs 1 ms of that clock, so a peer's budget of
 * handling time is spent by its requests as it would be by real work.
 */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { type MemoryChain, MemoryTxPool } from '@ethp2p/chain';
import { DiscReason, PeerError } from '@ethp2p/server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServeBudget } from '../../src/peer/serve-budget.ts';
import { expectEth, memoryChain, send } from '../peer/fixtures.ts';
import { type Harness, startPeer } from './harness.ts';

const clock = new SimulatedClock(1_000_000);
let chain: MemoryChain;
let hashes: Uint8Array[];
const harnesses: Harness[] = [];

beforeAll(async () => {
  const { chain: real, gen } = await memoryChain();
  hashes = gen.hashes.slice(1) as Uint8Array[];
  chain = new Proxy(real, {
    get(target, key) {
      if (key === 'bodyByHash') {
        return (hash: Uint8Array) => {
          clock.advance(1);
          return target.bodyByHash(hash);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
});

afterEach(() => {
  for (const h of harnesses.splice(0)) h.remote.close();
});

async function peer(serveBudget: ServeBudget): Promise<Harness> {
  const h = await startPeer({
    clock,
    serveBudget,
    backend: { chain, txPool: new MemoryTxPool() },
  });
  harnesses.push(h);
  return h;
}

/** A GetBlockBodies of every known block: as many ms of work as there are blocks. */
function bodiesRequest(requestId: bigint): { requestId: bigint; hashes: Uint8Array[] } {
  return { requestId, hashes };
}

describe('serve budget over the eth protocol', () => {
  it('slows a peer that asks as fast as it is served to its budget, never drops it', async () => {
    const budget = new ServeBudget({
      clock,
      timePerSecondMs: 10,
      timeBurstMs: 3 * hashes.length - 1,
      dropAfterMs: 5_000,
    });
    const greedy = await peer(budget);
    const calm = await peer(budget);
    // Three requests spend the greedy peer's burst; the fourth waits.
    for (let id = 1n; id <= 4n; id++)
      await send(greedy.remote, 69, 'GetBlockBodies', bodiesRequest(id));
    for (let i = 0; i < 3; i++) {
      expect((await expectEth(greedy.remote, 69, 'BlockBodies')).bodies).toHaveLength(
        hashes.length,
      );
    }
    await waitFor(() => budget.metrics.throttled === 1, { what: 'the fourth request waits' });
    await send(calm.remote, 69, 'GetBlockBodies', bodiesRequest(1n));
    expect((await expectEth(calm.remote, 69, 'BlockBodies')).bodies).toHaveLength(hashes.length);
    expect(budget.metrics).toMatchObject({ deferred: 1, throttled: 1, dropped: 0 });

    // The greedy peer (a syncing node) asks again as soon as it is answered, far past the drop
    // delay: each request waits for its budget, and the peer is never dropped.
    let answered = 0;
    let id = 5n;
    const started = clock.now();
    while (clock.now() - started < 30_000) {
      await waitFor(() => budget.metrics.throttled === 0, {
        what: 'the waiting request runs',
        clock: { clock, stepMs: 100, maxMs: 20_000 },
      });
      expect((await expectEth(greedy.remote, 69, 'BlockBodies')).bodies).toHaveLength(
        hashes.length,
      );
      answered++;
      await send(greedy.remote, 69, 'GetBlockBodies', bodiesRequest(id++));
    }
    expect(answered).toBeGreaterThan(3);
    expect(budget.metrics).toMatchObject({ dropped: 0, peers: 2 });
    expect(budget.metrics.deferred).toBeGreaterThan(answered - 1);
  });

  it('drops a peer that does not take its responses (UselessPeer)', async () => {
    const budget = new ServeBudget({ clock, maxInFlightBytes: 1, dropAfterMs: 5_000 });
    const stuck = await peer(budget);
    // It asks twice and reads nothing: the first response stays in flight, the second waits.
    await send(stuck.remote, 69, 'GetBlockBodies', bodiesRequest(1n));
    await send(stuck.remote, 69, 'GetBlockBodies', bodiesRequest(2n));
    await waitFor(() => budget.metrics.throttled === 1, { what: 'the second request waits' });
    const end = await waitForEnd(stuck);
    expect(end).toBeInstanceOf(PeerError);
    expect((end as PeerError).reason).toBe(DiscReason.UselessPeer);
    expect(budget.metrics.dropped).toBe(1);
  });
});

/** Advances the clock until the harness's run ends; its error. */
async function waitForEnd(h: Harness): Promise<unknown> {
  let outcome: { ok: boolean; error?: unknown } | undefined;
  void h.ended.then((o) => {
    outcome = o;
  });
  await waitFor(() => outcome !== undefined, {
    what: 'the flooding peer is dropped',
    clock: { clock, stepMs: 100, maxMs: 60_000 },
  });
  return outcome?.error;
}
