/** The `bans` option: banned IPs and node IDs are ignored before any work, and kept out of the table. */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { NeighborNode } from '../../src/wire/index.ts';
import { type TestBanList, testBanList } from '../helpers/ban-list.ts';
import {
  bond,
  lookupFinding,
  RawPeer,
  START_MS,
  settle,
  startService,
  type TestService,
} from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A started service at 10.0.0.1 on a fresh network, with an empty ban list. */
async function setup(): Promise<{
  net: MemoryNetwork;
  clock: SimulatedClock;
  bans: TestBanList;
  svc: TestService;
}> {
  const net = new MemoryNetwork();
  const clock = new SimulatedClock(START_MS);
  const bans = testBanList();
  const svc = await startService(net, '10.0.0.1', { clock, bans });
  closers.push(svc.close);
  return { net, clock, bans, svc };
}

describe('discv4 bans', () => {
  it("ignores a banned IP's pings before decoding them, and answers once it is unbanned", async () => {
    const { net, clock, bans, svc } = await setup();
    bans.ips.add('10.0.0.66');
    const hostile = new RawPeer(net, '10.0.0.66');
    closers.push(() => hostile.close());
    for (let i = 0; i < 5; i++) hostile.ping(svc.address, clock.now());
    await waitFor(() => svc.service.metrics.dropped.banned === 5, { what: 'pings dropped' });
    await settle();
    // Dropped before decoding: not even counted as received pings, and never answered.
    expect(svc.service.metrics.packetsIn.ping).toBe(0);
    expect(hostile.received).toHaveLength(0);
    bans.ips.delete('10.0.0.66');
    hostile.ping(svc.address, clock.now());
    await hostile.next('pong');
  });

  it('ignores packets signed by a banned node ID from any IP', async () => {
    const { net, clock, bans, svc } = await setup();
    const hostile = new RawPeer(net, '10.0.0.67');
    closers.push(() => hostile.close());
    bans.ids.add(bytesToHex(hostile.id));
    hostile.ping(svc.address, clock.now());
    await waitFor(() => svc.service.metrics.dropped.banned === 1, { what: 'ping dropped' });
    await settle();
    expect(hostile.received).toHaveLength(0);
  });

  it('keeps banned nodes found in Neighbors out of the table', async () => {
    const { net, clock, bans, svc } = await setup();
    await svc.service.refresh();
    const live = new RawPeer(net, '10.0.0.2');
    await bond(live, svc, clock);
    const neighbor = (ip: string): NeighborNode => ({
      ip,
      udp: 30303,
      tcp: 0,
      publicKey: publicKey(generatePrivateKey()),
    });
    const fine = Array.from({ length: 4 }, (_, i) => neighbor(`10.0.1.${i + 1}`));
    const byIp = Array.from({ length: 4 }, (_, i) => neighbor(`10.0.2.${i + 1}`));
    for (const n of byIp) bans.ips.add(n.ip as string);
    const byId = neighbor('10.0.3.1');
    bans.ids.add(bytesToHex(nodeIdFromPublicKey(byId.publicKey)));
    closers.unshift(lookupFinding(svc, live, clock, [...byIp, byId, ...fine]));
    await waitFor(() => svc.service.nodes().length === 5, { what: 'fine nodes added' });
    await settle();
    const ips = svc.service.nodes().map((n) => n.ip);
    expect(ips.sort()).toEqual(['10.0.0.2', ...fine.map((n) => n.ip)].sort());
  });
});
