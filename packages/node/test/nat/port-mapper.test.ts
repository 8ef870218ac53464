import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { LocalNode } from '@ethp2p/enode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtIp } from '../../src/nat/extip.ts';
import type { NatInterface } from '../../src/nat/nat-interface.ts';
import { PmpNat } from '../../src/nat/pmp.ts';
import {
  EXTIP_RETRY_MS,
  PORT_MAP_REFRESH_MS,
  PORT_MAP_RETRY_MS,
  PortMapper,
} from '../../src/nat/port-mapper.ts';
import { UpnpNat } from '../../src/nat/upnp.ts';
import { FakePmpGateway } from './fake-gateways.ts';
import { FakeIgd } from './fake-igd.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const memoryDb = { localSeq: async () => 0n, storeLocalSeq: async () => {} };

async function localNode(clock: SimulatedClock): Promise<LocalNode> {
  const node = await LocalNode.create({ privateKey: KEY, db: memoryDb, clock });
  node.setFallbackIp('192.168.1.20');
  node.setFallbackUdpPort(30301);
  node.set('tcp', 30303);
  return node;
}

/** A started mapper of TCP 30303 and UDP 30301 over `nat` into `node`. */
function startMapper(
  nat: NatInterface,
  node: LocalNode,
  clock: SimulatedClock,
  logger = new MemoryLogger(),
): PortMapper {
  const mapper = new PortMapper({
    nat,
    localNode: node,
    tcpPort: 30303,
    udpPort: 30301,
    clock,
    logger,
  });
  mapper.start();
  return mapper;
}

describe('PortMapper with a fake NAT-PMP gateway on loopback and a simulated clock', () => {
  let gw: FakePmpGateway;
  let clock: SimulatedClock;
  let log: MemoryLogger;
  let node: LocalNode;
  let mapper: PortMapper | undefined;

  /** Waits until the loop sleeps (its sleep is the only timer: no request is in flight). */
  const idle = (): Promise<void> =>
    waitFor(() => clock.pending === 1, { what: 'the loop to sleep' });

  const start = (): PortMapper => {
    const nat = new PmpNat({ gateway: '127.0.0.1', port: gw.port, clock });
    mapper = startMapper(nat, node, clock, log);
    return mapper;
  };

  beforeEach(async () => {
    gw = await FakePmpGateway.start();
    clock = new SimulatedClock(1_000_000);
    log = new MemoryLogger();
    node = await localNode(clock);
  });
  afterEach(async () => {
    await mapper?.stop();
    mapper = undefined;
    await gw.close();
  });

  it('maps TCP and UDP, puts the external IP in the record, renews before expiry, deletes on stop', async () => {
    const m = start();
    await waitFor(() => gw.adds.length === 2, { what: 'both mappings' });
    expect(gw.adds).toEqual([
      { op: 2, internalPort: 30303, externalPort: 30303, lifetimeS: 600 },
      { op: 1, internalPort: 30301, externalPort: 30301, lifetimeS: 600 },
    ]);
    await waitFor(() => m.mappings().every((x) => x.extPort !== undefined), { what: 'mapped' });
    const record = node.node();
    expect(record.ip).toBe('203.0.113.7');
    expect(record.tcp).toBe(30303);
    expect(record.udp).toBe(30301);

    // Nothing before the renewal time, then one renewal of each (10 min lifetime, 8 min renewal).
    await idle();
    clock.advance(PORT_MAP_REFRESH_MS - 1);
    expect(gw.adds).toHaveLength(2);
    clock.advance(1);
    await waitFor(() => gw.adds.length === 4, { what: 'the renewals' });
    expect(gw.adds.slice(2).map((r) => r.lifetimeS)).toEqual([600, 600]);

    await m.stop();
    // Both deletions are sent at once: their order is not fixed.
    expect(gw.deletes).toHaveLength(2);
    expect(gw.deletes).toEqual(
      expect.arrayContaining([
        { op: 2, internalPort: 30303, externalPort: 0, lifetimeS: 0 },
        { op: 1, internalPort: 30301, externalPort: 0, lifetimeS: 0 },
      ]),
    );
  });

  it('advertises the external ports the gateway chose', async () => {
    gw.portOffset = 7;
    const m = start();
    await waitFor(() => m.mappings().every((x) => x.extPort !== undefined), { what: 'mapped' });
    const record = node.node();
    expect([record.tcp, record.udp]).toEqual([30310, 30308]);
    // Renewals ask for the port already granted.
    await idle();
    clock.advance(PORT_MAP_REFRESH_MS);
    await waitFor(() => gw.adds.length === 4, { what: 'the renewals' });
    expect(gw.adds.slice(2).map((r) => r.externalPort)).toEqual([30310, 30308]);
  });

  it('retries a failing gateway with backoff, logs each state change once, and recovers', async () => {
    gw.behaviour = { answer: (req) => Uint8Array.of(0, (req[1] ?? 0) + 128, 0, 3, 0, 0, 0, 0) };
    const m = start();
    await waitFor(() => gw.requests.length === 3, { what: 'the first attempts' });
    await waitFor(() => log.lines.filter((l) => l.msg === 'nat port mapping failed').length === 2, {
      what: 'failures logged',
    });
    await idle();
    clock.advance(EXTIP_RETRY_MS);
    await waitFor(() => gw.requests.length === 4, { what: 'the ip retry' });
    await idle();
    clock.advance(PORT_MAP_RETRY_MS - EXTIP_RETRY_MS);
    await waitFor(() => gw.requests.filter((r) => r.op !== 0).length === 4, {
      what: 'the mapping retries',
    });
    // Still failing: no new info line.
    expect(log.lines.filter((l) => l.msg === 'nat port mapping failed')).toHaveLength(2);
    expect(log.lines.filter((l) => l.msg === 'nat external ip unavailable')).toHaveLength(1);
    expect(node.node().ip).toBe('192.168.1.20');

    await idle();
    gw.behaviour = 'ok';
    clock.advance(PORT_MAP_RETRY_MS);
    await waitFor(() => m.mappings().every((x) => x.extPort !== undefined), { what: 'recovered' });
    await waitFor(() => node.node().ip === '203.0.113.7', { what: 'the external ip' });
    expect(log.lines.filter((l) => l.msg === 'nat mapped port')).toHaveLength(2);
  });

  it('deletes nothing on stop when nothing was mapped', async () => {
    gw.behaviour = 'silent';
    const m = start();
    await waitFor(() => gw.requests.length >= 1, { what: 'a request' });
    await m.stop();
    expect(gw.deletes).toEqual([]);
  });
});

describe('PortMapper with extip', () => {
  it('sets the static IP and maps nothing', async () => {
    const clock = new SimulatedClock(0);
    const node = await localNode(clock);
    const mapper = startMapper(new ExtIp('198.51.100.1'), node, clock);
    await waitFor(() => node.node().ip === '198.51.100.1', { what: 'the ip' });
    expect(mapper.mappings()).toEqual([]);
    await mapper.stop();
  });
});

describe('PortMapper with a fake UPnP IGD on loopback', () => {
  it('maps both ports, renews them, and deletes them by external port on stop', async () => {
    const igd = await FakeIgd.start();
    try {
      const clock = new SimulatedClock(0);
      const node = await localNode(clock);
      const mapper = startMapper(new UpnpNat({ location: igd.location, clock }), node, clock);
      await waitFor(() => mapper.mappings().every((m) => m.extPort !== undefined), {
        what: 'mapped',
      });
      await waitFor(() => node.node().ip === '203.0.113.9', { what: 'the external ip' });
      await waitFor(() => clock.pending === 1, { what: 'the loop to sleep' });
      clock.advance(PORT_MAP_REFRESH_MS);
      await waitFor(() => igd.actions('AddPortMapping').length === 4, { what: 'the renewals' });
      await mapper.stop();
      expect(
        igd.actions('AddPortMapping').map((c) => [c.args.NewProtocol, c.args.NewLeaseDuration]),
      ).toEqual([
        ['TCP', '600'],
        ['UDP', '600'],
        ['TCP', '600'],
        ['UDP', '600'],
      ]);
      expect(igd.actions('DeletePortMapping')).toHaveLength(2);
      expect(igd.actions('DeletePortMapping').map((c) => c.args)).toEqual(
        expect.arrayContaining([
          { NewRemoteHost: '', NewExternalPort: '30303', NewProtocol: 'TCP' },
          { NewRemoteHost: '', NewExternalPort: '30301', NewProtocol: 'UDP' },
        ]),
      );
    } finally {
      await igd.close();
    }
  });
});
