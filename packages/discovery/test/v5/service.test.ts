/**
 * `DiscoveryV5` over the fake rpc network on a simulated clock: tables fill from one bootnode,
 * lookups ask the distances nearest the target, revalidation refetches grown records and drops
 * dead nodes, FINDNODE is answered from the table, TALKREQ reaches registered protocols.
 */
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, equalBytes, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { logDistance, Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryError } from '../../src/service/errors.ts';
import { lookupDistances } from '../../src/v5/lookup/distances.ts';
import { DiscoveryV5 } from '../../src/v5/service.ts';
import { FakeV5Network } from './helpers/fake-rpc.ts';
import type { TestV5 } from './helpers/services.ts';
import { START_MS, startV5 } from './helpers/services.ts';

const opened: TestV5[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((n) => n.close()));
});

async function node(
  net: FakeV5Network,
  ip: string,
  options: Parameters<typeof startV5>[2] = {},
): Promise<TestV5> {
  const n = await startV5(net, ip, options);
  opened.push(n);
  return n;
}

/** `n` nodes that know only the first; two refresh rounds, as the periodic refresh would do. */
async function network(n: number, config = { findnodeLivenessCheck: false }) {
  const clock = new SimulatedClock(START_MS);
  const net = new FakeV5Network(clock);
  const boot = await node(net, '10.5.0.1', { config });
  const nodes = [boot];
  for (let i = 2; i <= n; i++) {
    nodes.push(await node(net, `10.5.0.${i}`, { config, bootnodes: [boot.service.self()] }));
  }
  await Promise.all(nodes.map((x) => x.service.refresh()));
  await Promise.all(nodes.map((x) => x.service.refresh()));
  return { clock, net, nodes };
}

const hex = (n: Node): string => bytesToHex(n.id);

describe('DiscoveryV5 on a fake network', () => {
  it('fills every table from one bootnode, and lookups find the target', async () => {
    const { nodes } = await network(16);
    for (const n of nodes) expect(n.service.nodes().length).toBeGreaterThanOrEqual(8);
    const [a, , , b] = nodes;
    if (a === undefined || b === undefined) throw new Error('unreachable');
    const seen: string[] = [];
    const target = b.localNode.publicKey;
    for await (const n of a.service.lookup(target, { signal: AbortSignal.timeout(5000) })) {
      seen.push(hex(n));
    }
    expect(seen).toContain(hex(b.service.self()));
    const all = new Set(nodes.map((n) => hex(n.service.self())));
    for (const id of seen) expect(all.has(id)).toBe(true);
  });

  it('asks each node FINDNODE for the three distances nearest the target', async () => {
    const { nodes } = await network(12);
    const a = nodes[0];
    if (a === undefined) throw new Error('unreachable');
    const key = publicKey(generatePrivateKey());
    const targetId = nodeIdFromPublicKey(key);
    const before = a.rpc.calls.length;
    for await (const _ of a.service.lookup(key, { signal: AbortSignal.timeout(5000) })) {
      // drain
    }
    const calls = a.rpc.calls.slice(before).filter((c) => c.method === 'findNode');
    expect(calls.length).toBeGreaterThan(0);
    const byId = new Map(nodes.map((n) => [hex(n.service.self()), n.service.self().id]));
    for (const c of calls) {
      const dest = byId.get(c.to);
      if (dest === undefined) throw new Error(`asked an unknown node ${c.to}`);
      expect(c.distances).toEqual(lookupDistances(targetId, dest));
    }
  });

  it('randomNodes yields nodes of the network and ends with its signal', async () => {
    const { clock, nodes } = await network(10);
    const a = nodes[0];
    if (a === undefined) throw new Error('unreachable');
    const all = new Set(nodes.map((n) => hex(n.service.self())));
    const got: string[] = [];
    const controller = new AbortController();
    const done = (async () => {
      for await (const n of a.service.randomNodes({ signal: controller.signal })) {
        got.push(hex(n));
        if (got.length === 12) break;
      }
    })();
    // Lookup starts are paced at one per second of the simulated clock.
    await waitFor(() => got.length === 12, {
      what: '12 random nodes',
      clock: { clock, stepMs: 250, maxMs: 30_000 },
    });
    await done;
    const more = a.service.randomNodes({ signal: controller.signal });
    controller.abort();
    for await (const _ of more) throw new Error('an aborted iterator yielded');
    expect(got).toHaveLength(12);
    for (const id of got) expect(all.has(id)).toBe(true);
  });

  it('answers FINDNODE with table nodes at the requested distances only, live ones by default', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await node(net, '10.6.0.1');
    const others: TestV5[] = [];
    for (let i = 2; i <= 8; i++) {
      others.push(await node(net, `10.6.0.${i}`, { bootnodes: [a.service.self()] }));
    }
    await a.service.refresh();
    for (const o of others) await o.service.refresh();
    const asker = others[0];
    if (asker === undefined) throw new Error('unreachable');
    const aId = a.service.self().id;
    const distances = [...new Set(a.service.nodes().map((n) => logDistance(aId, n.id)))];
    expect(a.service.nodes().length).toBeGreaterThanOrEqual(6);
    // Nothing validated yet: live-only answers are empty (geth's findnode liveness check).
    expect(await asker.rpc.findNode(a.service.self(), distances)).toEqual([]);
    const d = distances[0] as number;
    const want = a.service.nodes().filter((n) => logDistance(aId, n.id) === d);
    // Revalidation validates them one by one; then they are served (duplicates and bad distances ignored).
    await waitFor(
      async () =>
        (await asker.rpc.findNode(a.service.self(), [d, d, 300, -1])).length === want.length,
      { what: 'a serves every node at distance d', clock: { clock, stepMs: 500, maxMs: 120_000 } },
    );
    const answer = await asker.rpc.findNode(a.service.self(), [d, d, 300, -1]);
    expect(answer.map(hex).sort()).toEqual(want.map(hex).sort());
    const withSelf = await asker.rpc.findNode(a.service.self(), [0]);
    expect(withSelf.map(hex)).toEqual([hex(a.service.self())]);
    expect(a.service.metrics.findNodeRequests).toBeGreaterThanOrEqual(3);
  });

  it('revalidation refetches a record whose seq grew, and drops a node that stopped answering', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await node(net, '10.7.0.1');
    const b = await node(net, '10.7.0.2', { bootnodes: [a.service.self()] });
    const c = await node(net, '10.7.0.3', { bootnodes: [a.service.self()] });
    await a.service.refresh();
    await b.service.refresh();
    await c.service.refresh();
    const inA = (t: TestV5) => a.service.nodes().find((n) => equalBytes(n.id, t.localNode.id));
    expect(inA(b)).toBeDefined();
    expect(inA(c)).toBeDefined();
    b.localNode.set('tcp', 30304);
    const grown = b.service.self().seq;
    expect(grown).toBeGreaterThan(inA(b)?.seq ?? grown);
    const step = { clock, stepMs: 500, maxMs: 120_000 };
    await waitFor(() => inA(b)?.seq === grown, { what: 'a holds b’s new record', clock: step });
    expect(inA(b)?.tcp).toBe(30304);
    expect(a.service.metrics.recordsRefetched).toBeGreaterThanOrEqual(1);
    const refetch = a.rpc.calls.filter(
      (x) => x.method === 'findNode' && x.to === hex(b.service.self()) && x.distances?.[0] === 0,
    );
    expect(refetch.length).toBeGreaterThanOrEqual(1);

    const removed: string[] = [];
    a.service.events.on('node:removed', (e) => removed.push(`${hex(e.node)}:${e.reason}`));
    c.rpc.down = true;
    await waitFor(() => inA(c) === undefined, { what: 'a dropped c', clock: step });
    expect(removed).toContain(`${hex(c.service.self())}:unresponsive`);
  });

  it('adds nodes that handshake with it once the first refresh is done', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await node(net, '10.8.0.1');
    await a.service.refresh();
    const b = await node(net, '10.8.0.2');
    await b.service.ping(a.service.self());
    expect(a.service.nodes().map(hex)).toEqual([hex(b.service.self())]);
    expect(a.service.metrics.nodesSeen).toBe(1);
  });

  it('resolves a newer record from the node itself, and undefined for a node that is nowhere', async () => {
    const { clock, nodes } = await network(6);
    const [a, b] = nodes;
    if (a === undefined || b === undefined) throw new Error('unreachable');
    const old = b.service.self();
    b.localNode.set('tcp', 1234);
    const got = await a.service.resolve(old);
    expect(got?.seq).toBe(b.service.self().seq);
    expect(got?.tcp).toBe(1234);

    const ghostKey = generatePrivateKey();
    const ghost = Node.fromPublicKey(publicKey(ghostKey), { ip: '10.5.9.9', udp: 30303 });
    let result: Node | undefined | 'pending' = 'pending';
    void a.service.resolve(ghost).then((r) => {
      result = r;
    });
    await waitFor(() => result !== 'pending', {
      what: 'resolve gave up',
      clock: { clock, stepMs: 100, maxMs: 60_000 },
    });
    expect(result).toBeUndefined();
  });

  it('requestEnr asks distance 0 and returns the node record', async () => {
    const { nodes } = await network(3);
    const [a, b] = nodes;
    if (a === undefined || b === undefined) throw new Error('unreachable');
    const got = await a.service.requestEnr(b.service.self());
    expect(got.record?.encodeText()).toBe(b.service.self().record?.encodeText());
  });
});

describe('DiscoveryV5 TALKREQ', () => {
  it('answers registered protocols, and unknown ones or failing handlers with empty payloads', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await node(net, '10.9.0.1');
    const b = await node(net, '10.9.0.2');
    const froms: string[] = [];
    const off = a.service.registerTalkProtocol('echo', (request, from) => {
      froms.push(`${from.ip}:${from.port}`);
      return Uint8Array.from([...request].reverse());
    });
    a.service.registerTalkProtocol('boom', async () => {
      throw new Error('handler failed');
    });
    expect(() => a.service.registerTalkProtocol('echo', (r) => r)).toThrow(TypeError);
    expect(() => a.service.registerTalkProtocol('', (r) => r)).toThrow(TypeError);

    const to = a.service.self();
    expect([...(await b.service.talkRequest(to, 'echo', Uint8Array.of(1, 2, 3)))]).toEqual([
      3, 2, 1,
    ]);
    expect(froms).toEqual(['10.9.0.2:30303']);
    expect(await b.service.talkRequest(to, 'other', Uint8Array.of(1))).toEqual(new Uint8Array(0));
    expect(await b.service.talkRequest(to, 'boom', Uint8Array.of(1))).toEqual(new Uint8Array(0));
    off();
    expect(await b.service.talkRequest(to, 'echo', Uint8Array.of(1))).toEqual(new Uint8Array(0));
    expect(a.service.metrics).toMatchObject({
      talkRequests: 4,
      talkUnknownProtocol: 2,
      talkHandlerErrors: 1,
    });
  });
});

describe('DiscoveryV5 lifecycle', () => {
  it('stop ends waiting lookups with CLOSED, closes the rpc and is idempotent', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await startV5(net, '10.10.0.1');
    const lookup = (async () => {
      for await (const _ of a.service.lookup()) {
        // nothing: the table stays empty
      }
    })();
    const failed = lookup.catch((err: unknown) => err);
    await a.service.stop();
    await a.service.stop();
    expect(await failed).toBeInstanceOf(DiscoveryError);
    expect(((await failed) as DiscoveryError).code).toBe('CLOSED');
    expect(a.rpc.closed).toBe(true);
    await expect(a.service.start()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(a.service.ping(a.service.self())).rejects.toMatchObject({ code: 'CLOSED' });
    expect(clock.pending).toBe(0);
    await a.localNode.close();
    await a.db.close();
  });

  it('rejects bootnodes without a record', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new FakeV5Network(clock);
    const a = await node(net, '10.11.0.1', { start: false });
    const bare = Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '10.0.0.1', udp: 1 });
    expect(
      () =>
        new DiscoveryV5({
          localNode: a.localNode,
          rpc: new FakeV5Network(clock).rpc(a.localNode),
          db: a.db,
          bootnodes: [bare],
        }),
    ).toThrow(TypeError);
  });
});
