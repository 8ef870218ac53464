/**
 * Endpoint statements (geth `LocalNode.UDPEndpointStatement`): the `To` of each Ping and each
 * Pong we receive tells us how the sender sees us; ten agreeing hosts move our record.
 */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import type { TestService } from './helpers.ts';
import { RawPeer, START_MS, startService } from './helpers.ts';

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
});

describe('endpoint statements', () => {
  it("each ping's To is a statement about our endpoint", async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    svc = await startService(net, '10.0.0.1', { clock });
    const peers = Array.from({ length: 10 }, (_, i) => new RawPeer(net, `10.0.3.${i + 1}`));
    for (const p of peers) {
      p.ping(svc.address, clock.now(), { to: { ip: '203.0.113.9', udp: 30399, tcp: 0 } });
    }
    await waitFor(() => svc?.service.metrics.packetsIn.ping === 10);
    const self = svc.service.self();
    expect([self.ip, self.udp]).toEqual(['203.0.113.9', 30399]);
  });

  it("each pong's To is a statement about our endpoint", async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    svc = await startService(net, '10.0.0.1', { clock });
    const peers = Array.from({ length: 10 }, (_, i) => new RawPeer(net, `10.0.4.${i + 1}`));
    for (const p of peers) {
      p.respond = (d, from) => {
        if (d.packet.type !== 'ping') return;
        const to = { ip: '198.51.100.7', udp: 40404, tcp: 0 };
        const expiration = expirationFromNow(clock.now());
        p.send({ type: 'pong', to, pingHash: d.hash, expiration }, from);
      };
    }
    const service = svc.service;
    await Promise.all(peers.map((p) => service.ping(p.node())));
    const self = service.self();
    expect([self.ip, self.udp]).toEqual(['198.51.100.7', 40404]);
  });
});
