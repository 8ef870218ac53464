/**
 * The server side of discv4, one test per behaviour of issue §3 (geth `v4_udp.go` handlers and
 * the `devp2p discv4 test` suite: Ping/*, Findnode/*, ENRRequest, Amplification/*).
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { concatBytes, keccak256, signRecoverable } from '@ethp2p/crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { expirationFromNow, isExpired } from '../../src/wire/index.ts';
import type { TestService } from './helpers.ts';
import { bond, RawPeer, START_MS, settle, startService } from './helpers.ts';

let net: MemoryNetwork;
let clock: SimulatedClock;
let svc: TestService;
let raw: RawPeer;

beforeEach(async () => {
  net = new MemoryNetwork();
  clock = new SimulatedClock(START_MS);
  svc = await startService(net, '10.0.0.1', { clock });
  await svc.service.refresh(); // empty table: init is done at once
  raw = new RawPeer(net, '10.0.0.2');
});

afterEach(async () => {
  await svc.close();
});

const exp = (): bigint => expirationFromNow(clock.now());

describe('ping', () => {
  it('answers with a pong to the UDP source, echoing the hash, To = source endpoint + From.TCP', async () => {
    const hash = raw.ping(svc.address, clock.now(), {
      from: { ip: '192.0.2.0', udp: 1, tcp: 7777 },
      to: { ip: '192.0.2.0', udp: 0, tcp: 0 },
    });
    const pong = await raw.next('pong');
    expect(pong.packet.pingHash).toEqual(hash);
    expect(pong.packet.to).toEqual({ ip: raw.address.address, udp: raw.address.port, tcp: 7777 });
    expect(isExpired(pong.packet.expiration, clock.now())).toBe(false);
    expect(pong.packet.enrSeq).toBe(svc.service.self().seq);
    expect(raw.received[0]?.from).toEqual(svc.address);
  });

  it('pings an unknown pinger back and adds it to the table only when its pong arrives', async () => {
    const added: string[] = [];
    svc.service.events.on('node:added', ({ node }) => added.push(node.ip ?? ''));
    raw.ping(svc.address, clock.now());
    const back = await raw.next('ping');
    expect(raw.ofType('pong')).toHaveLength(1);
    await settle();
    expect(svc.service.nodes()).toHaveLength(0);
    raw.send(
      {
        type: 'pong',
        to: { ip: '10.0.0.1', udp: 1, tcp: 0 },
        pingHash: back.hash,
        expiration: exp(),
      },
      svc.address,
    );
    await waitFor(() => svc.service.nodes().length === 1);
    expect(added).toEqual(['10.0.0.2']);
    expect(svc.service.nodes()[0]?.udp).toBe(raw.address.port);
  });

  it('adds a bonded pinger at once, without pinging it back', async () => {
    await svc.db.updateLastPongReceived(raw.id, raw.address.address, clock.now());
    raw.ping(svc.address, clock.now());
    await waitFor(() => svc.service.nodes().length === 1);
    await settle();
    expect(raw.ofType('pong')).toHaveLength(1);
    expect(raw.ofType('ping')).toHaveLength(0);
  });

  it('drops expired pings silently, including expirations of 2^63 and more', async () => {
    raw.ping(svc.address, clock.now(), { expiration: BigInt(Math.floor(START_MS / 1000)) - 1n });
    raw.ping(svc.address, clock.now(), { expiration: 2n ** 64n - exp() });
    await waitFor(() => svc.service.metrics.dropped.expired === 2);
    await settle();
    expect(raw.received).toHaveLength(0);
  });
});

describe('bond', () => {
  it('is set by a pong with the right reply token and stored per (id, ip) in the node database', async () => {
    await bond(raw, svc, clock);
    const last = await svc.db.lastPongReceived(raw.id, raw.address.address);
    expect(clock.now() - last).toBeLessThan(1000);
    expect(await svc.db.lastPongReceived(raw.id, '10.0.0.3')).toBe(0);
  });

  it('is not set by a pong with a wrong reply token (then findnode gets nothing)', async () => {
    raw.ping(svc.address, clock.now());
    await raw.next('ping');
    const to = { ip: '10.0.0.1', udp: 1, tcp: 0 };
    raw.send({ type: 'pong', to, pingHash: new Uint8Array(32), expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unsolicited === 1);
    raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unbonded === 1);
    await settle();
    expect(await svc.db.lastPongReceived(raw.id, raw.address.address)).toBe(0);
    expect(raw.ofType('neighbors')).toHaveLength(0);
    expect(svc.service.nodes()).toHaveLength(0);
  });

  it('answers a findnode sent right after the pong, before the database stored the pong', async () => {
    // A slow store (classic-level writes on a thread pool): the pong time lands only on release.
    let release = (): void => undefined;
    const stored = new Promise<void>((resolve) => {
      release = resolve;
    });
    const write = svc.db.updateLastPongReceived.bind(svc.db);
    const spy = vi
      .spyOn(svc.db, 'updateLastPongReceived')
      .mockImplementation((id, ip, t) => stored.then(() => write(id, ip, t)));
    try {
      raw.ping(svc.address, clock.now());
      const back = await raw.next('ping');
      const to = { ip: '10.0.0.1', udp: 1, tcp: 0 };
      raw.send({ type: 'pong', to, pingHash: back.hash, expiration: exp() }, svc.address);
      raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
      await raw.next('neighbors', 0, AbortSignal.timeout(2000));
      expect(svc.service.metrics.dropped.unbonded).toBe(0);
      expect(await svc.db.lastPongReceived(raw.id, raw.address.address)).toBe(0);
    } finally {
      release();
      spy.mockRestore();
    }
    await waitFor(async () => (await svc.db.lastPongReceived(raw.id, raw.address.address)) > 0);
  });

  it('lasts 24 hours', async () => {
    const ip = raw.address.address;
    const day = 24 * 3600_000;
    await svc.db.updateLastPongReceived(raw.id, ip, clock.now() - day - 5000);
    raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unbonded === 1);
    await svc.db.updateLastPongReceived(raw.id, ip, clock.now() - day + 5000);
    raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    await raw.next('neighbors');
    expect(raw.ofType('neighbors')).toHaveLength(1);
  });
});

describe('requests without a bond', () => {
  it('findnode gets no reply at all', async () => {
    raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unbonded === 1);
    await settle();
    expect(raw.received).toHaveLength(0);
  });

  it('enr request gets no reply at all', async () => {
    raw.send({ type: 'enr-request', expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unbonded === 1);
    await settle();
    expect(raw.received).toHaveLength(0);
  });

  it('a bonded id from another ip gets no reply at all', async () => {
    await bond(raw, svc, clock);
    const other = new RawPeer(net, '10.0.0.3', raw.privateKey);
    other.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    other.send({ type: 'enr-request', expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unbonded === 2);
    await settle();
    expect(other.received).toHaveLength(0);
  });
});

describe('findnode', () => {
  it('returns the 16 closest as 12 + 4 nodes', async () => {
    const peers = Array.from({ length: 20 }, (_, i) => new RawPeer(net, `10.0.1.${i + 1}`));
    for (const p of peers) await bond(p, svc, clock);
    await waitFor(() => svc.service.nodes().length === 20);
    const target = raw.publicKey;
    await svc.db.updateLastPongReceived(raw.id, raw.address.address, clock.now());
    raw.send({ type: 'findnode', target, expiration: exp() }, svc.address);
    await raw.next('neighbors', 1);
    await settle();
    const sizes = raw.ofType('neighbors').map((n) => n.packet.nodes.length);
    expect(sizes).toEqual([12, 4]);
    const got = raw.ofType('neighbors').flatMap((n) => n.packet.nodes.map((e) => e.udp));
    const want = svc.service.closest(keccak256(target), 16).map((n) => n.udp);
    expect(got).toEqual(want);
  });

  it('answers with one empty neighbors packet when the table is empty', async () => {
    await svc.db.updateLastPongReceived(raw.id, raw.address.address, clock.now());
    raw.send({ type: 'findnode', target: raw.publicKey, expiration: exp() }, svc.address);
    await raw.next('neighbors');
    await settle();
    expect(raw.ofType('neighbors').map((n) => n.packet.nodes.length)).toEqual([0]);
  });

  it('leaves out nodes the requester may not learn (LAN nodes to a public requester)', async () => {
    const lan = [new RawPeer(net, '10.0.2.1'), new RawPeer(net, '10.0.2.2')];
    const wan = [new RawPeer(net, '1.2.3.4'), new RawPeer(net, '5.6.7.8')];
    for (const p of [...lan, ...wan]) await bond(p, svc, clock);
    await waitFor(() => svc.service.nodes().length === 4);
    const asker = new RawPeer(net, '9.9.9.9');
    await svc.db.updateLastPongReceived(asker.id, '9.9.9.9', clock.now());
    asker.send({ type: 'findnode', target: asker.publicKey, expiration: exp() }, svc.address);
    const reply = await asker.next('neighbors');
    expect(reply.packet.nodes.map((n) => n.ip).sort()).toEqual(['1.2.3.4', '5.6.7.8']);
  });

  it('drops expired findnode from a bonded node', async () => {
    await bond(raw, svc, clock);
    raw.send(
      { type: 'findnode', target: raw.publicKey, expiration: 2n ** 64n - exp() },
      svc.address,
    );
    await waitFor(() => svc.service.metrics.dropped.expired === 1);
    await settle();
    expect(raw.ofType('neighbors')).toHaveLength(0);
  });
});

describe('unsolicited replies and bad packets', () => {
  it('ignores unsolicited neighbors and never adds their nodes to the table', async () => {
    await bond(raw, svc, clock);
    const fake = new RawPeer(net, '10.0.9.9');
    const entry = { ip: '10.0.9.9', udp: 30303, tcp: 30303, publicKey: fake.publicKey };
    raw.send({ type: 'neighbors', nodes: [entry], expiration: exp() }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unsolicited === 1);
    raw.send({ type: 'findnode', target: fake.publicKey, expiration: exp() }, svc.address);
    const reply = await raw.next('neighbors');
    expect(reply.packet.nodes.map((n) => n.ip)).not.toContain('10.0.9.9');
    expect(svc.service.nodes().map((n) => n.ip)).not.toContain('10.0.9.9');
  });

  it('ignores unsolicited pongs and enr responses', async () => {
    const to = { ip: '10.0.0.1', udp: 1, tcp: 0 };
    raw.send({ type: 'pong', to, pingHash: new Uint8Array(32), expiration: exp() }, svc.address);
    const record = svc.localNode.record(); // any valid record
    raw.send({ type: 'enr-response', requestHash: new Uint8Array(32), record }, svc.address);
    await waitFor(() => svc.service.metrics.dropped.unsolicited === 2);
    expect(await svc.db.lastPongReceived(raw.id, raw.address.address)).toBe(0);
    expect(svc.service.nodes()).toHaveLength(0);
  });

  it('drops unknown packet types silently and counts them', async () => {
    const body = new Uint8Array([0xc1, 0x80]);
    const type = new Uint8Array([66]);
    const sig = signRecoverable(keccak256(concatBytes(type, body)), raw.privateKey);
    const rest = concatBytes(sig, type, body);
    raw.socket.send(concatBytes(keccak256(rest), rest), svc.address);
    await waitFor(() => svc.service.metrics.dropped['unknown-type'] === 1);
    await settle();
    expect(raw.received).toHaveLength(0);
  });

  it('counts bad packets, never throws out of the socket handler, and keeps working', async () => {
    raw.socket.send(new Uint8Array(10), svc.address);
    raw.socket.send(new Uint8Array(300).fill(7), svc.address);
    await waitFor(() => svc.service.metrics.dropped['bad-packet'] === 2);
    expect(net.stats.handlerErrors).toBe(0);
    raw.ping(svc.address, clock.now());
    await raw.next('pong');
  });
});

describe('enr request', () => {
  it('gets an enr response with the reply token and the current local record', async () => {
    await bond(raw, svc, clock);
    const hash = raw.send({ type: 'enr-request', expiration: exp() }, svc.address);
    const first = await raw.next('enr-response');
    expect(first.packet.requestHash).toEqual(hash);
    expect(first.packet.record.encode()).toEqual(svc.localNode.record().encode());
    svc.localNode.set('tcp', 30303);
    raw.send({ type: 'enr-request', expiration: exp() }, svc.address);
    const second = await raw.next('enr-response', 1);
    expect(second.packet.record.seq).toBeGreaterThan(first.packet.record.seq);
    expect(second.packet.record.tcp).toBe(30303);
  });
});
