/** The `allowIp` option (geth's netrestrict): nodes at other IPs are neither added nor contacted. */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { NeighborNode } from '../../src/wire/index.ts';
import { bond, lookupFinding, RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Allows 10.0.0.0/24 only. */
const allowIp = (ip: string): boolean => ip.startsWith('10.0.0.');

function neighbor(ip: string): NeighborNode {
  return { ip, udp: 30303, tcp: 0, publicKey: publicKey(generatePrivateKey()) };
}

describe('allowIp', () => {
  it('keeps Neighbors entries at other IPs out of the table', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc = await startService(net, '10.0.0.1', { clock, allowIp });
    closers.push(svc.close);
    await svc.service.refresh();
    const live = new RawPeer(net, '10.0.0.2');
    await bond(live, svc, clock);
    const inside = Array.from({ length: 8 }, (_, i) => neighbor(`10.0.0.${100 + i}`));
    const outside = Array.from({ length: 8 }, (_, i) => neighbor(`10.0.6.${i + 1}`));
    closers.unshift(lookupFinding(svc, live, clock, [...outside, ...inside]));
    await waitFor(() => svc.service.nodes().length === 9);
    await settle();
    expect(svc.service.nodes().every((n) => allowIp(n.ip ?? ''))).toBe(true);
    expect(svc.service.nodes()).toHaveLength(9);
  });

  it('answers a Ping from another IP without pinging back or adding the pinger', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc = await startService(net, '10.0.0.1', { clock, allowIp });
    closers.push(svc.close);
    await svc.service.refresh();
    const outsider = new RawPeer(net, '10.0.9.1');
    closers.push(() => outsider.close());
    outsider.autoPong(clock);
    outsider.ping(svc.address, clock.now());
    await outsider.next('pong');
    await settle();
    expect(outsider.ofType('ping')).toHaveLength(0);
    expect(svc.service.nodes()).toHaveLength(0);
  });

  it('does not add a bootnode at another IP', async () => {
    const net = new MemoryNetwork();
    const outsider = new RawPeer(net, '10.0.9.1');
    closers.push(() => outsider.close());
    outsider.autoPong(new SimulatedClock(START_MS));
    const boot = Node.fromPublicKey(outsider.publicKey, {
      ip: '10.0.9.1',
      udp: outsider.address.port,
    });
    const svc = await startService(net, '10.0.0.1', { bootnodes: [boot], allowIp });
    closers.push(svc.close);
    await svc.service.refresh();
    expect(svc.service.nodes()).toHaveLength(0);
    expect(outsider.received).toHaveLength(0);
  });
});
