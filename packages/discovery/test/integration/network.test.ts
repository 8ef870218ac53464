/**
 * Loopback integration (issue §5): in-process nodes that know only one bootnode fill their
 * tables, and any node's `resolve` finds any other from its key alone. Real clock, bounded by
 * `AbortSignal.timeout`; waits are on events and refresh completion, never on sleeps.
 */
import { seededRandom, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { TestService } from '../service/helpers.ts';
import { startService } from '../service/helpers.ts';

const NODES = 30;
/** A shorter bond wait than geth's 500 ms keeps the suite fast; replies use geth's 500 ms deadline. */
const config = { bondWaitMs: 20, responseTimeoutMs: 500 };

/** A key-only node: resolving it needs the table or a lookup. */
function keyOnly(node: Node): Node {
  return Node.fromPublicKey(node.publicKey);
}

describe(`${NODES} nodes on a memory network with one bootnode`, () => {
  const nodes: TestService[] = [];

  beforeAll(async () => {
    const net = new MemoryNetwork();
    const boot = await startService(net, '10.1.0.1', { config });
    nodes.push(boot);
    for (let i = 2; i <= NODES; i++) {
      const bootnodes = [boot.service.self()];
      nodes.push(await startService(net, `10.1.0.${i}`, { config, bootnodes }));
    }
    await Promise.all(nodes.map((n) => n.service.refresh()));
    // A second round, as the periodic refresh would do: everyone has joined by now.
    await Promise.all(nodes.map((n) => n.service.refresh()));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  it('every node fills its table', () => {
    for (const n of nodes) expect(n.service.nodes().length).toBeGreaterThanOrEqual(NODES / 2);
  });

  it("any node's resolve finds any other from its key alone", async () => {
    const random = seededRandom(7);
    for (let i = 0; i < 6; i++) {
      const from = nodes[random.intn(NODES)];
      let to = nodes[random.intn(NODES)];
      if (to === from) to = nodes[(nodes.indexOf(to as TestService) + 1) % NODES];
      if (from === undefined || to === undefined) throw new Error('unreachable');
      const want = to.service.self();
      const got = await from.service.resolve(keyOnly(want), { signal: AbortSignal.timeout(5000) });
      expect(got?.record?.encodeText()).toBe(want.record?.encodeText());
    }
  });

  it('randomNodes and lookup yield nodes of the network', async () => {
    const first = nodes[0]?.service;
    if (first === undefined) throw new Error('unreachable');
    const known = new Set(nodes.map((n) => n.service.self().enodeUrl()));
    const seen: string[] = [];
    for await (const n of first.randomNodes({ signal: AbortSignal.timeout(5000) })) {
      seen.push(n.enodeUrl());
      if (seen.length === 20) break;
    }
    for await (const n of first.lookup(undefined, { signal: AbortSignal.timeout(5000) })) {
      seen.push(n.enodeUrl());
    }
    expect(seen.length).toBeGreaterThan(20);
    for (const url of seen) expect(known.has(url)).toBe(true);
  });

  it('resolve gives undefined for a node that does not exist', async () => {
    const ghost = Node.fromPublicKey(
      (await import('@ethp2p/crypto')).publicKey(generatePrivateKey()),
    );
    const first = nodes[0];
    if (first === undefined) throw new Error('unreachable');
    const got = await first.service.resolve(ghost, { signal: AbortSignal.timeout(5000) });
    expect(got).toBeUndefined();
  });
});

describe('nodes over real UDP on 127.0.0.1', () => {
  it('find each other through one bootnode', async () => {
    const logger = silentLogger;
    // Real sockets on the real clock: a loaded CI machine (the whole suite in parallel forks) can
    // delay a reply past 500 ms, which drops a node from a table; every reply here does arrive.
    const udpConfig = { ...config, responseTimeoutMs: 2000 };
    const listen = (bootnodes: readonly Node[] = []) =>
      DiscoveryV4.listen({
        privateKey: generatePrivateKey(),
        logger,
        bootnodes,
        config: udpConfig,
      });
    const boot = await listen();
    const others = await Promise.all(Array.from({ length: 5 }, () => listen([boot.self()])));
    const all = [boot, ...others];
    try {
      await Promise.all(others.map((n) => n.refresh()));
      await Promise.all(all.map((n) => n.refresh()));
      for (const n of all) expect(n.nodes().length).toBeGreaterThanOrEqual(3);
      const last = others[others.length - 1] as DiscoveryV4;
      const target = others[0] as DiscoveryV4;
      const got = await last.resolve(keyOnly(target.self()), { signal: AbortSignal.timeout(5000) });
      expect(got?.udp).toBe(target.self().udp);
    } finally {
      await Promise.all(all.map((n) => n.stop()));
    }
  });
});
