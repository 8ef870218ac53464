/**
 * The refresh (geth `table.go` `doRefresh`): seeds and bootnodes, a self lookup and 3 random
 * ones on start and every 15 to 30 minutes; inbound nodes only after the first refresh.
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { DecodedPacket } from '../../src/wire/index.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import type { TestService } from './helpers.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Makes `raw` answer pings and answer every findnode with an empty Neighbors. */
function answerAll(raw: RawPeer, clock: SimulatedClock): void {
  raw.autoPong(clock);
  const previous = raw.respond;
  raw.respond = (d: DecodedPacket, from) => {
    previous?.(d, from);
    if (d.packet.type !== 'findnode') return;
    raw.send({ type: 'neighbors', nodes: [], expiration: expirationFromNow(clock.now()) }, from);
  };
}

describe('refresh', () => {
  it('on start: seeds from the database and the bootnodes, a self lookup, then 3 random', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = new RawPeer(net, '10.0.0.2');
    const seed = new RawPeer(net, '10.0.0.3');
    answerAll(boot, clock);
    answerAll(seed, clock);
    const svc: TestService = await startService(net, '10.0.0.1', {
      clock,
      bootnodes: [boot.node()],
      start: false,
    });
    closers.push(svc.close);
    await svc.db.updateNode(seed.node());
    await svc.db.updateLastPongReceived(seed.id, '10.0.0.3', clock.now() - 3600_000);
    await svc.service.start();
    let finished = false;
    const done = svc.service.refresh().then(() => {
      finished = true;
    });
    await waitFor(() => finished, { clock: { clock, stepMs: 100, maxMs: 10_000 } });
    await done;
    expect(boot.ofType('findnode')).toHaveLength(4);
    expect(seed.ofType('findnode')).toHaveLength(4);
    const targets = boot.ofType('findnode').map((d) => d.packet.target);
    expect(targets[0]).toEqual(svc.localNode.publicKey);
    expect(new Set(targets.map((t) => t.toString())).size).toBe(4);
  });

  it('runs again after a random interval in [15, 30) minutes', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = new RawPeer(net, '10.0.0.2');
    answerAll(boot, clock);
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [boot.node()] });
    closers.push(svc.close);
    let finished = false;
    const first = svc.service.refresh().then(() => {
      finished = true;
    });
    await waitFor(() => finished, { clock: { clock, stepMs: 100, maxMs: 10_000 } });
    await first;
    clock.advance(15 * 60_000 - 5_000);
    await settle();
    expect(boot.ofType('findnode')).toHaveLength(4);
    await waitFor(() => boot.ofType('findnode').length > 4, {
      clock: { clock, stepMs: 60_000, maxMs: 960_000 },
    });
  });

  it('accepts nodes that ping us into the table only after the first refresh', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const boot = new RawPeer(net, '10.0.0.2');
    boot.autoPong(clock); // it never answers findnode: the first refresh waits for deadlines
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [boot.node()] });
    closers.push(svc.close);
    await boot.next('findnode');
    const pinger = new RawPeer(net, '10.0.0.3');
    pinger.autoPong(clock);
    pinger.ping(svc.address, clock.now());
    await waitFor(() => svc.service.metrics.packetsIn.pong === 2); // boot's and pinger's pongs
    await settle();
    expect(svc.service.nodes().map((n) => n.ip)).toEqual(['10.0.0.2']);
    const refreshed = svc.service.refresh();
    await waitFor(() => boot.ofType('findnode').length === 4, {
      clock: { clock, stepMs: 100, maxMs: 10_000 },
    });
    clock.advance(500);
    await refreshed;
    pinger.ping(svc.address, clock.now());
    await waitFor(() => svc.service.nodes().some((n) => n.ip === '10.0.0.3'));
  });
});
