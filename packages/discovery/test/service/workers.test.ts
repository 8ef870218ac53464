/**
 * The service with its signature work on worker threads (issue 18): what each piece of work is
 * worth under overload, a pool of 2 doing the whole protocol, per-peer order of what we send,
 * and replies to our own requests getting through a Ping flood that saturates the pool.
 * The pooled tests run the built worker (`pnpm build` first, as CI does).
 */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InlineSignatures } from '../../src/pool/inline.ts';
import type { RecoverOutcome, SealOutcome, WorkOptions } from '../../src/pool/types.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { encodePacket, expirationFromNow, PACKET_TYPE } from '../../src/wire/index.ts';
import type { ServiceOptions } from './helpers.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const NAMES = Object.fromEntries(Object.entries(PACKET_TYPE).map(([name, n]) => [n, name]));

/** The inline runner, logging `recover|seal:<packet type>:<work class>` for each piece of work. */
class RecordingRunner extends InlineSignatures {
  readonly log: string[] = [];
  override recover(d: Uint8Array, o: WorkOptions, done: (r: RecoverOutcome) => void): void {
    this.log.push(`recover:${NAMES[d[97] as number]}:${o.workClass}`);
    super.recover(d, o, done);
  }
  override seal(u: Uint8Array, o: WorkOptions, done: (r: SealOutcome) => void): void {
    this.log.push(`seal:${NAMES[u[97] as number]}:${o.workClass}`);
    super.seal(u, o, done);
  }
}

async function setup(options: ServiceOptions = {}) {
  const net = new MemoryNetwork();
  const clock = new SimulatedClock(START_MS);
  const svc = await startService(net, '10.0.0.1', { clock, ...options });
  closers.push(svc.close);
  await svc.service.refresh(); // empty table: init is done at once
  return { net, clock, svc };
}

describe('DiscoveryV4 signature work classes', () => {
  it('pings and unsolicited replies are worth least, requests more, our own requests most', async () => {
    let runner: RecordingRunner | undefined;
    const { net, clock, svc } = await setup({
      signatures: (key) => {
        runner = new RecordingRunner(key);
        return runner;
      },
    });
    const log = (runner as RecordingRunner).log;
    const raw = new RawPeer(net, '10.0.0.2');
    raw.autoPong(clock);
    raw.ping(svc.address, clock.now());
    await raw.next('ping');
    await waitFor(() => log.includes('recover:pong:own'), { what: 'the ping-back answered' });
    expect(log.splice(0)).toEqual([
      'seal:pong:ping', // sealed while the Ping's sender is recovered, worth what the Ping is
      'recover:ping:ping',
      'seal:ping:ping', // the ping-back
      'recover:pong:own', // its Pong: a reply we wait for
    ]);
    await waitFor(async () => (await svc.db.lastPongReceived(raw.id, '10.0.0.2')) > 0);
    const target = raw.publicKey;
    raw.send({ type: 'findnode', target, expiration: expirationFromNow(clock.now()) }, svc.address);
    await raw.next('neighbors');
    // A node at this IP has bonded: the Neighbors is sealed while the sender is recovered.
    expect(log.splice(0)).toEqual(['seal:neighbors:request', 'recover:findnode:request']);

    // Another key at the same IP, never bonded: sealed the same way, but never sent.
    const sameIp = new RawPeer(net, '10.0.0.2');
    closers.push(() => sameIp.close());
    sameIp.send(
      { type: 'findnode', target, expiration: expirationFromNow(clock.now()) },
      svc.address,
    );
    await waitFor(() => svc.service.metrics.dropped.unbonded === 1, { what: 'unbonded dropped' });
    await settle();
    expect(sameIp.ofType('neighbors')).toHaveLength(0);
    expect(log.splice(0)).toEqual(['seal:neighbors:request', 'recover:findnode:request']);

    const stranger = new RawPeer(net, '10.0.0.3');
    stranger.send(
      {
        type: 'pong',
        to: { ip: '10.0.0.1', udp: svc.address.port, tcp: 0 },
        pingHash: new Uint8Array(32),
        expiration: expirationFromNow(clock.now()),
      },
      svc.address,
    );
    await waitFor(() => svc.service.metrics.dropped.unsolicited === 1);
    expect(log.splice(0)).toEqual(['recover:pong:ping']);

    // From an IP where nothing has bonded, a FindNode costs its recovery and no signature.
    stranger.send(
      { type: 'findnode', target, expiration: expirationFromNow(clock.now()) },
      svc.address,
    );
    await waitFor(() => svc.service.metrics.dropped.unbonded === 2, { what: 'unbonded dropped' });
    expect(log.splice(0)).toEqual(['recover:findnode:request']);
    expect(stranger.ofType('neighbors')).toHaveLength(0);

    stranger.autoPong(clock);
    await svc.service.ping(stranger.node());
    expect(log.splice(0)).toEqual(['seal:ping:own', 'recover:pong:own']);
  });
});

describe('DiscoveryV4 with a pool of signature workers', () => {
  it('two services with 2 workers each ping and find each other', async () => {
    const net = new MemoryNetwork();
    const a = await startService(net, '10.0.0.1', { workers: 2 });
    closers.push(a.close);
    const b = await startService(net, '10.0.0.2', {
      workers: 2,
      bootnodes: [a.service.self()],
    });
    closers.push(b.close);
    await a.service.refresh();
    await b.service.refresh();
    expect(await b.db.lastPongReceived(a.service.self().id, '10.0.0.1')).toBeGreaterThan(0);
    expect(b.service.metrics.packetsIn.neighbors).toBeGreaterThan(0);
    expect(b.service.nodes().map((n) => n.ip)).toContain('10.0.0.1');
    await waitFor(() => a.service.nodes().some((n) => n.ip === '10.0.0.2'));
    const r = await b.service.ping(a.service.self());
    expect(r.seq).toBe(a.service.self().seq);
    expect((await b.service.requestEnr(a.service.self())).seq).toBe(a.service.self().seq);
    expect(a.service.metrics.signatures).toMatchObject({ workers: 2, respawns: 0 });
    expect(a.service.metrics.signatures.shed).toEqual({ ping: 0, request: 0, own: 0 });
  });

  it('answers a Ping with its Pong before the ping-back, as inline', async () => {
    const { net, clock, svc } = await setup({ workers: 2 });
    const peers = Array.from({ length: 8 }, (_, i) => new RawPeer(net, `10.0.1.${i + 1}`));
    for (const p of peers) p.ping(svc.address, clock.now());
    for (const p of peers) await p.next('ping');
    for (const p of peers) {
      expect(p.received.map((r) => r.decoded.packet.type)).toEqual(['pong', 'ping']);
    }
  });

  it('a Ping flood that saturates the pool is shed, while our own ping gets through first', async () => {
    const { net, clock, svc } = await setup({ workers: 1 });
    const flooder = new RawPeer(net, '10.0.0.2');
    const pings = Array.from(
      { length: 16 },
      () =>
        encodePacket(
          {
            type: 'ping',
            version: 4n,
            from: { ip: '10.0.0.2', udp: flooder.address.port, tcp: 0 },
            to: { ip: '10.0.0.1', udp: svc.address.port, tcp: 0 },
            expiration: expirationFromNow(clock.now()),
          },
          generatePrivateKey(),
        ).bytes,
    );
    const total = 1500;
    for (let i = 0; i < total; i++)
      flooder.socket.send(pings[i % pings.length] as Uint8Array, svc.address);
    const friend = new RawPeer(net, '10.0.0.3');
    friend.autoPong(clock, 7n);
    await settle(2);
    const result = await svc.service.ping(friend.node());
    expect(result.seq).toBe(7n);
    // Our ping and its Pong went ahead of the flood still waiting in the queue.
    const atPong = svc.service.metrics;
    expect(atPong.packetsIn.ping).toBeLessThan(total);
    await waitFor(
      () => {
        const { queued, inFlight } = svc.service.metrics.signatures;
        return queued === 0 && inFlight === 0;
      },
      { what: 'the pool drained' },
    );
    const m = svc.service.metrics;
    expect(m.signatures.shed.ping).toBeGreaterThan(0);
    expect(m.signatures.shed.own).toBe(0);
    expect(m.dropped.overloaded).toBeGreaterThan(0);
    expect(m.packetsIn.ping + m.dropped.overloaded).toBe(total);
  });
});
