/**
 * The simulated identity (issue 18): nodes whose packets carry their public key instead of a
 * signature converge on a memory network as signing nodes do, ignore signed packets, and are
 * refused on a real UDP socket.
 */
import { silentLogger } from '@ethp2p/base';
import { thrownError, waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { LocalNode, NodeDatabase } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedSignatures } from '../../src/pool/simulated.ts';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import { DiscoveryError } from '../../src/service/errors.ts';
import { SimulationMemo } from '../../src/service/simulation-memo.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { bindUdpSocket } from '../../src/transport/udp-socket.ts';
import { SIMULATED_MARKER } from '../../src/wire/simulated-signature.ts';
import type { ServiceOptions, TestService } from './helpers.ts';
import { RawPeer, startService } from './helpers.ts';

const NODES = 16;
const simulated: ServiceOptions['signatures'] = (key) => new SimulatedSignatures(publicKey(key));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * `NODES` nodes that know one bootnode, after two refresh rounds; every datagram sent is passed
 * to `onDatagram`.
 */
async function network(
  options: Pick<ServiceOptions, 'signatures'>,
  onDatagram: (data: Uint8Array) => void = () => {},
): Promise<TestService[]> {
  const net = new MemoryNetwork({
    loss: (_from, _to, data) => {
      onDatagram(data);
      return false;
    },
  });
  const config = { bondWaitMs: 20 };
  const boot = await startService(net, '10.2.0.1', { config, ...options });
  closers.push(boot.close);
  const nodes = [boot];
  for (let i = 2; i <= NODES; i++) {
    const node = await startService(net, `10.2.0.${i}`, {
      config,
      bootnodes: [boot.service.self()],
      ...options,
    });
    closers.push(node.close);
    nodes.push(node);
  }
  for (let round = 0; round < 2; round++) {
    await Promise.all(nodes.map((n) => n.service.refresh()));
  }
  return nodes;
}

describe('nodes with the simulated identity on a memory network', () => {
  it('fill their tables as signing nodes do, and send only simulated packets', async () => {
    const markers = new Set<number>();
    const sim = await network({ signatures: simulated }, (d) => markers.add(d[96] as number));
    expect(markers).toEqual(new Set([SIMULATED_MARKER]));
    const real = await network({});
    const fill = (nodes: TestService[]) => nodes.map((n) => n.service.nodes().length);
    const simFill = fill(sim);
    const realFill = fill(real);
    for (const size of [...simFill, ...realFill]) expect(size).toBeGreaterThanOrEqual(NODES / 2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean(simFill) - mean(realFill))).toBeLessThanOrEqual(2);
  }, 60_000); // 16 signing nodes: ~12 s alone, past vitest's 20 s on a loaded machine

  it('find any node by key alone, sharing IDs, nodes and records through their memo', async () => {
    const memo = new SimulationMemo();
    const nodes = await network({
      signatures: (key) => new SimulatedSignatures(publicKey(key), memo),
    });
    const from = nodes[NODES - 1] as TestService;
    const want = (nodes[1] as TestService).service.self();
    const got = await from.service.resolve(want, { signal: AbortSignal.timeout(5000) });
    expect(got?.udp).toBe(want.udp);
    expect(got?.record?.encode()).toEqual(want.record?.encode());
    expect(from.service.metrics.signatures.workers).toBe(0);
    // Every sender's ID was derived once for all nodes; Neighbors entries and pingers became
    // shared nodes; the resolved record was verified through the memo.
    expect(memo.size.ids).toBe(NODES);
    expect(memo.size.nodes).toBeGreaterThanOrEqual(NODES - 1);
    expect(memo.size.records).toBeGreaterThanOrEqual(1);
  });

  it('drop signed packets as bad', async () => {
    const net = new MemoryNetwork();
    const svc = await startService(net, '10.2.1.1', { signatures: simulated });
    closers.push(svc.close);
    const raw = new RawPeer(net, '10.2.1.2');
    raw.ping(svc.address, Date.now());
    await waitFor(() => svc.service.metrics.dropped['bad-packet'] === 1, {
      what: 'the signed ping was dropped',
    });
    expect(raw.received).toEqual([]);
  });
});

describe('the simulated identity on a real socket', () => {
  it('is refused by the service with SIMULATION_ONLY', async () => {
    const socket = await bindUdpSocket({ address: '127.0.0.1', logger: silentLogger });
    closers.push(() => socket.close());
    const privateKey = generatePrivateKey();
    const db = await NodeDatabase.open();
    closers.push(() => db.close());
    const localNode = await LocalNode.create({ privateKey, db });
    closers.push(() => localNode.close());
    thrownError(
      () =>
        new DiscoveryV4({
          privateKey,
          localNode,
          db,
          socket,
          logger: silentLogger,
          signatures: new SimulatedSignatures(publicKey(privateKey)),
        }),
      DiscoveryError,
      'SIMULATION_ONLY',
    );
  });
});
