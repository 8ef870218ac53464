/**
 * Observing a discv4 node (issue 18): `lookup:done` statistics for every lookup whatever started
 * it, `lookupClosest`, `tableEntries` with liveness, and the configurable lookup fan-out and
 * refresh lookups.
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { keccak256 } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LookupStats } from '../../src/lookup/stats.ts';
import { resolveConfig } from '../../src/service/config.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { DecodedPacket } from '../../src/wire/index.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Makes `raw` answer pings, and findnode with an empty Neighbors unless `findnode` is false. */
function answer(raw: RawPeer, clock: SimulatedClock, findnode = true): void {
  raw.autoPong(clock);
  if (!findnode) return;
  const previous = raw.respond;
  raw.respond = (d: DecodedPacket, from) => {
    previous?.(d, from);
    if (d.packet.type !== 'findnode') return;
    raw.send({ type: 'neighbors', nodes: [], expiration: expirationFromNow(clock.now()) }, from);
  };
}

/** Resolves what `work` resolves, advancing `clock` in 100 ms steps until it does. */
async function onClock<T>(work: Promise<T>, clock: SimulatedClock, what: string): Promise<T> {
  let done = false;
  const result = work.finally(() => {
    done = true;
  });
  await waitFor(() => done, { what, clock: { clock, stepMs: 100, maxMs: 10_000 } });
  return result;
}

function peer(net: MemoryNetwork, ip: string): RawPeer {
  const raw = new RawPeer(net, ip);
  closers.push(() => raw.close());
  return raw;
}

describe('lookup:done', () => {
  it.each([
    [undefined, 4],
    [0, 1],
    [1, 2],
  ])('reports the refresh lookups (refreshRandomLookups %s: %i lookups)', async (n, lookups) => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = peer(net, '10.0.0.2');
    answer(boot, clock);
    const config = n === undefined ? {} : { refreshRandomLookups: n };
    const svc = await startService(net, '10.0.0.1', {
      clock,
      config,
      bootnodes: [boot.node()],
      start: false,
    });
    closers.push(svc.close);
    const reports: LookupStats[] = [];
    svc.service.events.on('lookup:done', (s) => reports.push(s));
    await svc.service.start();
    await onClock(svc.service.refresh(), clock, 'the refresh ended');
    expect(reports).toHaveLength(lookups);
    expect(boot.ofType('findnode')).toHaveLength(lookups);
    expect(reports[0]?.targetId).toEqual(svc.localNode.id);
    for (const r of reports) {
      expect(r).toMatchObject({ kind: 'refresh', queried: 1, replies: 1, failures: 0, hops: 1 });
      expect(r).toMatchObject({ seen: 1, end: 'converged' });
      expect(r.result.map((x) => x.enodeUrl())).toEqual([boot.node().enodeUrl()]);
    }
  });

  it('counts timeouts, and labels lookup() and lookupClosest()', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const silent = peer(net, '10.0.0.2');
    answer(silent, clock, false); // pongs, never answers findnode
    const svc = await startService(net, '10.0.0.1', {
      clock,
      bootnodes: [silent.node()],
      config: { refreshRandomLookups: 0 },
    });
    closers.push(svc.close);
    await onClock(svc.service.refresh(), clock, 'the refresh ended');
    const reports: LookupStats[] = [];
    svc.service.events.on('lookup:done', (s) => reports.push(s));
    const target = new RawPeer(net, '10.0.0.9').publicKey;
    const stats = await onClock(svc.service.lookupClosest(target), clock, 'lookupClosest');
    expect(stats).toMatchObject({ kind: 'lookup', queried: 1, replies: 0, failures: 1 });
    expect(stats).toMatchObject({ timeouts: 1, end: 'converged' });
    expect(stats.targetId).toEqual(keccak256(target));
    expect(stats.endedAtMs).toBeGreaterThan(stats.startedAtMs);
    expect(reports).toEqual([stats]);

    const drained = (async () => {
      for await (const _ of svc.service.lookup(target)) void _;
    })();
    await onClock(drained, clock, 'the lookup ended');
    expect(reports.map((r) => r.kind)).toEqual(['lookup', 'lookup']);
  });
});

describe('lookup fan-out', () => {
  it.each([
    [1, 1],
    [undefined, 3],
    [4, 4],
  ])('lookupAlpha %s keeps %i findnode queries in flight', async (alpha, inFlight) => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const peers = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((ip) => {
      const raw = peer(net, ip);
      answer(raw, clock, false);
      return raw;
    });
    const config = {
      refreshRandomLookups: 0,
      ...(alpha === undefined ? {} : { lookupAlpha: alpha }),
    };
    const svc = await startService(net, '10.0.0.1', {
      clock,
      config,
      bootnodes: peers.map((p) => p.node()),
    });
    closers.push(svc.close);
    const sent = (): number => peers.reduce((sum, p) => sum + p.ofType('findnode').length, 0);
    await waitFor(() => sent() >= inFlight, { what: `${inFlight} findnode queries` });
    await settle();
    expect(sent()).toBe(inFlight); // the clock stands still: none has timed out yet
  });

  it('validates lookupAlpha and refreshRandomLookups', () => {
    for (const lookupAlpha of [0, 17, 1.5, Number.NaN]) {
      expect(() => resolveConfig({ lookupAlpha })).toThrow(RangeError);
    }
    for (const refreshRandomLookups of [-1, 17, 0.5]) {
      expect(() => resolveConfig({ refreshRandomLookups })).toThrow(RangeError);
    }
    expect(resolveConfig({ lookupAlpha: 16, refreshRandomLookups: 0 })).toMatchObject({
      lookupAlpha: 16,
      refreshRandomLookups: 0,
    });
    expect(resolveConfig()).toMatchObject({ lookupAlpha: 3, refreshRandomLookups: 3 });
  });
});

describe('tableEntries', () => {
  it('lists each table node with its bucket and liveness', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = peer(net, '10.0.0.2');
    answer(boot, clock);
    const svc = await startService(net, '10.0.0.1', {
      clock,
      bootnodes: [boot.node()],
      config: { pingIntervalMs: 1000 },
    });
    closers.push(svc.close);
    await waitFor(() => svc.service.tableEntries().length === 1, { what: 'the bootnode added' });
    expect(svc.service.tableEntries()[0]).toMatchObject({
      addedAtMs: START_MS,
      lastPongMs: undefined,
      failedRevalidations: 0,
      isValidatedLive: false,
      revalidation: 'fast',
    });
    await waitFor(() => svc.service.tableEntries()[0]?.isValidatedLive === true, {
      what: 'the bootnode revalidated',
      clock: { clock, stepMs: 100, maxMs: 10_000 },
    });
    const [entry] = svc.service.tableEntries();
    expect(entry?.node.enodeUrl()).toBe(boot.node().enodeUrl());
    expect(entry?.bucket).toBeGreaterThanOrEqual(0);
    expect(entry?.bucket).toBeLessThanOrEqual(16);
    expect(entry?.lastPongMs).toBeGreaterThan(START_MS);
    expect(entry).toMatchObject({
      failedRevalidations: 0,
      livenessChecks: 1,
      revalidation: 'slow',
    });
  });
});
