/**
 * The client side of discv4: bonding before requests, ping, ENR requests and their checks,
 * Neighbors validation, and the ENR request a higher Pong seq triggers (geth `v4_udp.go`,
 * `table_reval.go`).
 */

import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscoveryError } from '../../src/service/errors.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { DecodedPacket, NeighborNode } from '../../src/wire/index.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import type { ServiceOptions, TestService } from './helpers.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function setup(ip = '10.0.0.1', peerIp = '10.0.0.2', options: ServiceOptions = {}) {
  const net = new MemoryNetwork();
  const clock = new SimulatedClock(START_MS);
  const svc: TestService = await startService(net, ip, { clock, ...options });
  closers.push(svc.close);
  await svc.service.refresh();
  const raw = new RawPeer(net, peerIp);
  return { net, clock, svc, raw };
}

/** Makes `raw` answer ENR requests with `record`. */
function answerEnr(raw: RawPeer, record: Enr): void {
  const previous = raw.respond;
  raw.respond = (d: DecodedPacket, from) => {
    previous?.(d, from);
    if (d.packet.type === 'enr-request') {
      raw.send({ type: 'enr-response', requestHash: d.hash, record }, from);
    }
  };
}

function recordOf(raw: RawPeer, seq: bigint, ip = raw.address.address): Enr {
  return Enr.sign({ seq, entries: { ip, udp: raw.address.port } }, raw.privateKey);
}

describe('ping', () => {
  it('resolves the pong seq and the round trip; notes the contact for the predictor', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock, 9n);
    const contact = vi.spyOn(svc.localNode, 'udpContact');
    const result = await svc.service.ping(raw.node());
    expect(result).toEqual({ seq: 9n, rttMs: 0 });
    expect(contact).toHaveBeenCalledWith('10.0.0.2');
    const sent = raw.ofType('ping')[0]?.packet;
    expect(sent?.to).toEqual({ ip: '10.0.0.2', udp: raw.address.port, tcp: 0 });
    expect(sent?.enrSeq).toBe(svc.service.self().seq);
  });

  it('rejects with TIMEOUT when no pong comes', async () => {
    const { svc, raw, clock } = await setup();
    const pending = svc.service.ping(raw.node());
    await raw.next('ping');
    clock.advance(500);
    await expect(pending).rejects.toMatchObject({ name: 'DiscoveryError', code: 'TIMEOUT' });
    expect(svc.service.metrics.timeouts).toBe(1);
  });
});

describe('bonding before requests', () => {
  it('pings a node that has not pinged us, waits bondWaitMs, then asks', async () => {
    const { svc, raw, clock } = await setup('10.0.0.1', '10.0.0.2', {
      config: { bondWaitMs: 500 },
    });
    raw.autoPong(clock);
    answerEnr(raw, recordOf(raw, 3n));
    const pending = svc.service.requestEnr(raw.node());
    await raw.next('ping');
    await settle();
    expect(raw.ofType('enr-request')).toHaveLength(0);
    clock.advance(500);
    const node = await pending;
    expect(node.seq).toBe(3n);
    expect(raw.received.map((r) => r.decoded.packet.type)).toEqual(['ping', 'enr-request']);
  });

  it('ends the bond wait at once when the caller aborts or the service stops', async () => {
    const { svc, raw, clock } = await setup('10.0.0.1', '10.0.0.2', {
      config: { bondWaitMs: 500 },
    });
    raw.autoPong(clock);
    const controller = new AbortController();
    const aborted = svc.service.requestEnr(raw.node(), { signal: controller.signal });
    await raw.next('ping');
    await settle();
    const waiting = clock.pending;
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(clock.pending).toBe(waiting - 1); // the wait's timer is gone
    const stopped = svc.service.requestEnr(raw.node());
    await raw.next('ping');
    await settle();
    await svc.service.stop();
    await expect(stopped).rejects.toMatchObject({ name: 'DiscoveryError', code: 'CLOSED' });
    expect(raw.ofType('enr-request')).toHaveLength(0);
  });

  it('asks a node that pinged us within 24 h directly', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    answerEnr(raw, recordOf(raw, 3n));
    raw.ping(svc.address, clock.now());
    await raw.next('ping'); // the service pings back once
    await waitFor(async () => (await svc.db.lastPingReceived(raw.id, '10.0.0.2')) > 0);
    await svc.service.requestEnr(raw.node());
    expect(raw.ofType('ping')).toHaveLength(1);
  });

  it('bonds again when findnode to the node failed more than 5 times', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    answerEnr(raw, recordOf(raw, 3n));
    await svc.db.updateLastPingReceived(raw.id, '10.0.0.2', clock.now());
    await svc.db.updateFindFails(raw.id, '10.0.0.2', 6);
    await svc.service.requestEnr(raw.node());
    expect(raw.received.map((r) => r.decoded.packet.type)).toEqual(['ping', 'enr-request']);
  });
});

describe('requestEnr', () => {
  it('rejects a record of another node with BAD_RECORD', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    const other = Enr.sign({ seq: 1n, entries: { ip: '10.0.0.2', udp: 1 } }, generatePrivateKey());
    answerEnr(raw, other);
    await expect(svc.service.requestEnr(raw.node())).rejects.toMatchObject({ code: 'BAD_RECORD' });
  });

  it('rejects a LAN record ip from a public node with BAD_RECORD', async () => {
    const { svc, raw, clock } = await setup('5.6.7.8', '1.2.3.4');
    raw.autoPong(clock);
    answerEnr(raw, recordOf(raw, 2n, '10.1.1.1'));
    const err = await svc.service.requestEnr(raw.node()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect(err).toMatchObject({ code: 'BAD_RECORD' });
  });

  it('ignores an ENRResponse with the wrong reply token: times out, nothing applied', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    const previous = raw.respond;
    raw.respond = (d, from) => {
      previous?.(d, from);
      if (d.packet.type !== 'enr-request') return;
      const record = recordOf(raw, 7n);
      raw.send({ type: 'enr-response', requestHash: new Uint8Array(32), record }, from);
    };
    const given = raw.node();
    const result = svc.service.requestEnr(given).catch((e: unknown) => e);
    await raw.next('enr-request');
    await waitFor(() => svc.service.metrics.dropped.unsolicited === 1);
    clock.advance(500);
    expect(await result).toMatchObject({ code: 'TIMEOUT' });
    expect(svc.service.nodes().some((n) => n.seq === 7n)).toBe(false);
  });

  it('returns the node it was given when the answer is older than the record we know', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    answerEnr(raw, recordOf(raw, 2n));
    const known = Node.fromEnr(recordOf(raw, 5n));
    const got = await svc.service.requestEnr(known);
    expect(raw.ofType('enr-request')).toHaveLength(1);
    expect(got).toBe(known);
  });

  it('rejects a node without an endpoint with NO_ENDPOINT', async () => {
    const { svc, raw } = await setup();
    const keyOnly = raw.node().enodeUrl().replace(/@.*/, '');
    await expect(svc.service.requestEnr(Node.parse(keyOnly))).rejects.toMatchObject({
      code: 'NO_ENDPOINT',
    });
  });
});

describe('neighbors from a lookup', () => {
  it('drops entries with low ports, unrelayable ips, invalid keys and ourselves', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const raw = new RawPeer(net, '1.2.3.4');
    const good = new RawPeer(net, '1.2.3.50');
    raw.autoPong(clock);
    const svc = await startService(net, '5.6.7.8', { clock, bootnodes: [raw.node()] });
    closers.push(svc.close);
    const entry = (ip: string, udp: number, publicKey: Uint8Array): NeighborNode => ({
      ip,
      udp,
      tcp: 0,
      publicKey,
    });
    const entries = [
      entry('1.2.3.60', 0, good.publicKey),
      entry('1.2.3.61', 1024, good.publicKey),
      entry('10.1.1.1', 30303, good.publicKey),
      entry('127.0.0.1', 30303, good.publicKey),
      entry('1.2.3.62', 30303, new Uint8Array(64).fill(1)),
      entry('1.2.3.63', 30303, svc.localNode.publicKey),
      entry('1.2.3.50', good.address.port, good.publicKey),
    ];
    raw.respond = ((prev) => (d: DecodedPacket, from) => {
      prev?.(d, from);
      if (d.packet.type !== 'findnode') return;
      raw.send(
        { type: 'neighbors', nodes: entries, expiration: expirationFromNow(clock.now()) },
        from,
      );
    })(raw.respond);
    await waitFor(() => svc.service.metrics.neighborsRejected >= 6);
    await waitFor(() => svc.service.nodes().some((n) => n.ip === '1.2.3.50'));
    const ips = svc.service.nodes().map((n) => `${n.ip}:${n.udp}`);
    expect(ips.sort()).toEqual([`1.2.3.4:${raw.address.port}`, `1.2.3.50:${good.address.port}`]);
  });
});

describe('findnode completion', () => {
  it('ends at a Neighbors packet shorter than 12 entries, without waiting for the deadline', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const raw = new RawPeer(net, '1.2.3.4');
    const good = new RawPeer(net, '1.2.3.50');
    for (const peer of [raw, good]) {
      peer.autoPong(clock);
      const nodes: NeighborNode[] =
        peer === raw
          ? [{ ip: '1.2.3.50', udp: good.address.port, tcp: 0, publicKey: good.publicKey }]
          : [];
      peer.respond = ((prev) => (d: DecodedPacket, from) => {
        prev?.(d, from);
        if (d.packet.type !== 'findnode') return;
        peer.send({ type: 'neighbors', nodes, expiration: expirationFromNow(clock.now()) }, from);
      })(peer.respond);
    }
    const svc = await startService(net, '5.6.7.8', { clock, bootnodes: [raw.node()] });
    closers.push(svc.close);
    let refreshed = false;
    void svc.service.refresh().then(() => {
      refreshed = true;
    });
    // Every findnode of the refresh is answered by one short packet: it all ends well before the
    // 500 ms deadline a findnode waiting for 16 entries would need.
    await waitFor(() => refreshed, { clock: { clock, stepMs: 10, maxMs: 400 } });
    expect(svc.service.nodes().some((n) => n.ip === '1.2.3.50')).toBe(true);
  });
});

describe('pong seq', () => {
  it('a revalidation pong with a higher seq than known triggers an enr request', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock, 7n);
    answerEnr(raw, recordOf(raw, 7n));
    raw.ping(svc.address, clock.now());
    await waitFor(() => svc.service.nodes().length === 1);
    await settle();
    expect(raw.ofType('enr-request')).toHaveLength(0); // a pong outside revalidation: no request
    // The fast revalidation list comes due within 3 s: ping, pong with seq 7, enr request.
    await waitFor(() => svc.service.nodes()[0]?.seq === 7n, {
      clock: { clock, stepMs: 100, maxMs: 10_000 },
    });
    expect(raw.ofType('enr-request')).toHaveLength(1);
  });

  it('a revalidation pong with the known seq triggers no enr request', async () => {
    const { svc, raw, clock } = await setup();
    raw.autoPong(clock);
    raw.ping(svc.address, clock.now());
    await waitFor(() => svc.service.nodes().length === 1);
    await waitFor(() => svc.service.metrics.packetsIn.pong === 2, {
      clock: { clock, stepMs: 100, maxMs: 10_000 },
    });
    await settle();
    expect(svc.service.nodes()).toHaveLength(1);
    expect(raw.ofType('enr-request')).toHaveLength(0);
  });
});

describe('findnode failures', () => {
  it('are reported to the table, which counts them in the node database', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const raw = new RawPeer(net, '10.0.0.2');
    raw.autoPong(clock);
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [raw.node()] });
    closers.push(svc.close);
    await raw.next('findnode');
    clock.advance(500);
    await waitFor(async () => (await svc.db.findFails(raw.id, '10.0.0.2')) === 1);
  });
});
