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
  it('defers a flooding peer while another is served, then drops it with UselessPeer', async () => {
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

    // The greedy peer keeps asking as fast as it is served: it stays over budget until dropped.
    const drain = (async () => {
      for (;;) await greedy.remote.readMsg();
    })().catch(() => {});
    const flood = (async () => {
      for (let id = 5n; id < 200n; id++) {
        await send(greedy.remote, 69, 'GetBlockBodies', bodiesRequest(id));
      }
    })().catch(() => {});
    const end = await waitForEnd(greedy);
    expect(end).toBeInstanceOf(PeerError);
    expect((end as PeerError).reason).toBe(DiscReason.UselessPeer);
    expect(budget.metrics.dropped).toBe(1);
    greedy.remote.close();
    await Promise.all([drain, flood]);

    // The calm peer was never in debt for long: still served.
    await send(calm.remote, 69, 'GetBlockBodies', bodiesRequest(2n));
    expect((await expectEth(calm.remote, 69, 'BlockBodies')).requestId).toBe(2n);
    expect(budget.metrics).toMatchObject({ dropped: 1, peers: 1 });
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
