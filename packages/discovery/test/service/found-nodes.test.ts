/**
 * Found nodes enter the table without being bonded first (geth HEAD; issue §4 asks for bonding,
 * see the README's deviations). What keeps unverified nodes out of our answers is FindNode's
 * liveness preference: while validated-live nodes exist, only those are served.
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { NeighborNode } from '../../src/wire/index.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import type { TestService } from './helpers.ts';
import { bond, lookupFinding, RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('found nodes', () => {
  it('an unvalidated found node is not served in Neighbors while validated-live nodes exist', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc: TestService = await startService(net, '10.0.0.1', { clock });
    closers.push(svc.close);
    await svc.service.refresh(); // empty table: init is done at once

    // `live` bonds with us, then answers a revalidation ping: validated live.
    const live = new RawPeer(net, '10.0.0.2');
    await bond(live, svc, clock);
    const pings = live.ofType('ping').length;
    await waitFor(() => live.ofType('ping').length > pings, {
      what: 'a revalidation ping reached live',
      clock: { clock, stepMs: 100, maxMs: 10_000 },
    });
    await settle();

    // A lookup asks `live`, which names 16 nodes nobody has verified (a full answer, so no
    // deadline has to pass): they enter the table as found nodes.
    const found: NeighborNode[] = Array.from({ length: 16 }, (_, i) => ({
      ip: `10.0.6.${i + 1}`,
      udp: 30303,
      tcp: 0,
      publicKey: publicKey(generatePrivateKey()),
    }));
    closers.unshift(lookupFinding(svc, live, clock, found));
    await waitFor(() => svc.service.nodes().length === 17);

    const asker = new RawPeer(net, '10.0.0.4');
    await svc.db.updateLastPongReceived(asker.id, '10.0.0.4', clock.now());
    const target = found[0]?.publicKey ?? new Uint8Array(64);
    const expiration = expirationFromNow(clock.now());
    asker.send({ type: 'findnode', target, expiration }, svc.address);
    const reply = await asker.next('neighbors');
    expect(reply.packet.nodes.map((n) => n.ip)).toEqual(['10.0.0.2']);
  });
});
