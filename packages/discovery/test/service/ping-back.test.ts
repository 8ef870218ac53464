/**
 * Ping-backs under a Ping flood: one pending ping-back per (ID, IP), a cap on all of them, and
 * our own requests keep their room in the reply matcher.
 */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/service/config.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { encodePacket, expirationFromNow } from '../../src/wire/index.ts';
import type { ServiceOptions, TestService } from './helpers.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(options: ServiceOptions = {}) {
  const net = new MemoryNetwork();
  const clock = new SimulatedClock(START_MS);
  const svc: TestService = await startService(net, '10.0.0.1', { clock, ...options });
  closers.push(svc.close);
  await svc.service.refresh(); // empty table: init is done at once
  return { net, clock, svc };
}

describe('ping-back', () => {
  it('a Ping replayed 5000 times gets one ping-back while it is pending; ping() still works', async () => {
    const { net, clock, svc } = await setup();
    const raw = new RawPeer(net, '10.0.0.2');
    const { bytes } = encodePacket(
      {
        type: 'ping',
        version: 4n,
        from: { ip: raw.address.address, udp: raw.address.port, tcp: 0 },
        to: { ip: svc.address.address, udp: svc.address.port, tcp: 0 },
        expiration: expirationFromNow(clock.now()),
      },
      raw.privateKey,
    );
    let pingsRecorded = 0;
    const record = svc.db.updateLastPingReceived.bind(svc.db);
    svc.db.updateLastPingReceived = (...args) => {
      pingsRecorded++;
      return record(...args);
    };
    const replays = 5000;
    for (let i = 0; i < replays; i++) raw.socket.send(bytes, svc.address);
    await waitFor(() => svc.service.metrics.pingBacksSkipped === replays - 1);
    await settle();
    expect(svc.service.metrics.packetsIn.ping).toBe(replays);
    expect(raw.ofType('pong')).toHaveLength(replays);
    expect(raw.ofType('ping')).toHaveLength(1);
    expect(svc.service.metrics.packetsOut.ping).toBe(1);
    // Skipped ping-backs still record every Ping (geth `UpdateLastPingReceived`).
    expect(pingsRecorded).toBe(replays);
    expect(await svc.db.lastPingReceived(raw.id, '10.0.0.2')).toBe(clock.now());

    const other = new RawPeer(net, '10.0.0.3');
    other.autoPong(clock, 3n);
    await expect(svc.service.ping(other.node())).resolves.toMatchObject({ seq: 3n });

    // Once the ping-back settled (here: timed out), the next Ping from the pinger gets a new one.
    clock.advance(600);
    await settle();
    raw.socket.send(bytes, svc.address);
    await raw.next('ping', 1);
    expect(raw.ofType('ping')).toHaveLength(2);
  });

  it('at most maxPingBacks are pending at once', async () => {
    const { net, clock, svc } = await setup({ config: { maxPingBacks: 2 } });
    const peers = [1, 2, 3].map((i) => new RawPeer(net, `10.0.0.${10 + i}`));
    for (const p of peers) p.ping(svc.address, clock.now());
    await waitFor(() => svc.service.metrics.packetsIn.ping === 3);
    await waitFor(() => svc.service.metrics.pingBacksSkipped === 1);
    await settle();
    expect(peers.map((p) => p.ofType('pong').length)).toEqual([1, 1, 1]);
    expect(svc.service.metrics.packetsOut.ping).toBe(2);
  });

  it('maxPingBacks is at most half the reply matcher cap', () => {
    expect(resolveConfig().maxPingBacks).toBe(2048);
    expect(() => resolveConfig({ maxPingBacks: 2049 })).toThrow(RangeError);
    expect(() => resolveConfig({ maxPingBacks: 0 })).toThrow(RangeError);
  });
});
