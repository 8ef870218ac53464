/**
 * A lookup on an empty table ends (issue 18): it runs or joins a refresh (the bootstrap, geth
 * `LookupPubkey`), then looks up from whatever the refresh found, and ends empty when nothing
 * answers. Before, it waited forever for a node unless given a signal.
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveryV4 } from '../../src/service/discovery.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { RawPeer, START_MS, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Drains a lookup in the background; `result` is its nodes, or what it threw. */
function drain(service: DiscoveryV4, signal?: AbortSignal) {
  const state: { done: boolean; nodes: string[]; error?: unknown } = { done: false, nodes: [] };
  const run = (async () => {
    try {
      for await (const n of service.lookup(undefined, signal === undefined ? {} : { signal })) {
        state.nodes.push(n.enodeUrl());
      }
    } catch (err) {
      state.error = err;
    } finally {
      state.done = true;
    }
  })();
  return { state, run };
}

/** Drains a lookup, advancing `clock` until it ends; its nodes, or what it threw. */
async function drainOnClock(service: DiscoveryV4, clock: SimulatedClock): Promise<string[]> {
  const { state, run } = drain(service);
  await waitFor(() => state.done, {
    what: 'the lookup ended',
    clock: { clock, stepMs: 100, maxMs: 60_000 },
  });
  await run;
  if (state.error !== undefined) throw state.error;
  return state.nodes;
}

describe('lookup on an empty table', () => {
  it('ends with nothing when there are no seeds and no bootnodes', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc = await startService(net, '10.0.0.1', { clock });
    closers.push(svc.close);
    const { state, run } = drain(svc.service);
    await waitFor(() => state.done, { what: 'the lookup ended' });
    await run;
    expect(state.error).toBeUndefined();
    expect(state.nodes).toEqual([]);
    expect(clock.now()).toBe(START_MS);
  });

  it('ends after the bootstrap fails: the only bootnode never answers', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const silent = new RawPeer(net, '10.0.0.2'); // receives, never answers
    closers.push(() => silent.close());
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [silent.node()] });
    closers.push(svc.close);
    const nodes = await drainOnClock(svc.service, clock);
    expect(nodes).toEqual([silent.node().enodeUrl()]);
    expect(silent.ofType('ping').length).toBeGreaterThan(0);
  });

  it('starts as soon as the bootstrap puts a node in the table, and ends', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = await startService(net, '10.0.0.2', { clock });
    closers.push(boot.close);
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [boot.service.self()] });
    closers.push(svc.close);
    const nodes = await drainOnClock(svc.service, clock);
    expect(nodes).toEqual([boot.service.self().enodeUrl()]);
  });

  it('still stops on its signal while the bootstrap runs', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const silent = new RawPeer(net, '10.0.0.2');
    closers.push(() => silent.close());
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [silent.node()] });
    closers.push(svc.close);
    const controller = new AbortController();
    const { state, run } = drain(svc.service, controller.signal);
    await waitFor(() => silent.ofType('ping').length > 0, { what: 'the bootstrap pinged' });
    expect(state.done).toBe(false);
    controller.abort(new Error('enough'));
    await run;
    expect(state.error).toMatchObject({ message: 'enough' });
  });

  it('resolve on an empty table returns undefined instead of waiting', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc = await startService(net, '10.0.0.1', { clock });
    closers.push(svc.close);
    const stranger = new RawPeer(net, '10.0.0.9');
    closers.push(() => stranger.close());
    await stranger.close();
    let result: unknown = 'pending';
    const resolving = svc.service.resolve(stranger.node()).then((r) => {
      result = r;
    });
    await waitFor(() => result !== 'pending', {
      what: 'resolve ended',
      clock: { clock, stepMs: 100, maxMs: 60_000 },
    });
    await resolving;
    expect(result).toBeUndefined();
  });
});
