/**
 * The shared in-memory node store (issue 18): one store, one view per simulated node, the same
 * answers `NodeDatabase` gives for what discovery asks, bounded memory under a flood, and many
 * discv4 nodes running on it.
 */
import { SimulatedClock, seededRandom, silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, LocalNode, Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import { MemoryNodeStore } from '../../src/service/memory-node-store.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { nodeOf, type TestKey } from '../table/helpers.ts';
import { START_MS } from './helpers.ts';

function keys(n: number): TestKey[] {
  return Array.from({ length: n }, () => {
    const priv = generatePrivateKey();
    const pub = publicKey(priv);
    return { priv, pub, id: nodeIdFromPublicKey(pub) };
  });
}

const hexIds = (nodes: readonly Node[]): string[] => nodes.map((n) => bytesToHex(n.id)).sort();
const DAY_MS = 24 * 3600_000;

function signed(key: TestKey, seq: bigint, ip: string): Node {
  return Node.fromEnr(Enr.sign({ seq, entries: { ip, udp: 30303 } }, key.priv));
}

describe('MemoryNodeStore', () => {
  it('gives each node its own view, the same one for the same ID', async () => {
    const store = new MemoryNodeStore();
    const [a, b, peer] = keys(3).map((k) => nodeOf(k)) as [Node, Node, Node];
    const va = store.view(a.id);
    expect(store.view(Uint8Array.from(a.id))).toBe(va);
    const vb = store.view(b.id);
    expect(store.size).toBe(2);
    await va.updateLastPongReceived(peer.id, '10.0.0.9', START_MS);
    expect(await va.lastPongReceived(peer.id, '10.0.0.9')).toBe(START_MS);
    expect(await vb.lastPongReceived(peer.id, '10.0.0.9')).toBe(0);
    store.delete(a.id);
    expect(store.size).toBe(1);
    expect(await store.view(a.id).lastPongReceived(peer.id, '10.0.0.9')).toBe(0);
  });

  it('keeps pings, pongs and findnode failures per endpoint, IPs in canonical form', async () => {
    const [self, peer] = keys(2).map((k) => nodeOf(k)) as [Node, Node];
    const db = new MemoryNodeStore().view(self.id);
    await db.updateLastPingReceived(peer.id, '::ffff:10.0.0.1', START_MS + 1);
    await db.updateLastPongReceived(peer.id, new Uint8Array([10, 0, 0, 1]), START_MS + 2);
    await db.updateFindFails(peer.id, '10.0.0.1', 3);
    expect(await db.lastPingReceived(peer.id, '10.0.0.1')).toBe(START_MS + 1);
    expect(await db.lastPongReceived(peer.id, '::ffff:10.0.0.1')).toBe(START_MS + 2);
    expect(await db.findFails(peer.id, '10.0.0.1')).toBe(3);
    expect(await db.findFails(peer.id, '10.0.0.2')).toBe(0);
    expect(db.size).toEqual({ endpoints: 1, records: 0 });
    await expect(db.updateFindFails(peer.id, '10.0.0.1', 1.5)).rejects.toThrow(RangeError);
    await expect(db.lastPingReceived(peer.id, 'not-an-ip')).rejects.toThrow(TypeError);
    // The canonical forms are remembered, a refusal is not.
    expect(await db.lastPingReceived(peer.id, '::ffff:10.0.0.1')).toBe(START_MS + 1);
    await expect(db.lastPingReceived(peer.id, 'not-an-ip')).rejects.toThrow(TypeError);
    await expect(db.lastPingReceived(new Uint8Array(3), '10.0.0.1')).rejects.toThrow();
  });

  it('stores the local seq, so LocalNode can use the same view', async () => {
    const privateKey = generatePrivateKey();
    const db = new MemoryNodeStore().view(nodeIdFromPublicKey(publicKey(privateKey)));
    const first = await LocalNode.create({ privateKey, db });
    const seq = first.node().seq;
    await first.close();
    expect(await db.localSeq(first.id)).toBeGreaterThanOrEqual(seq);
    const again = await LocalNode.create({ privateKey, db });
    expect(again.node().seq).toBeGreaterThan(seq);
    await again.close();
  });

  it('offers as seeds the stored records with a recent pong, never itself, repeatably', async () => {
    const clock = new SimulatedClock(START_MS);
    const [selfKey, ...others] = keys(9) as [TestKey, ...TestKey[]];
    const seedsOf = async (seed: number) => {
      const store = new MemoryNodeStore({ clock, random: seededRandom(seed) });
      const db = store.view(nodeOf(selfKey).id);
      await db.updateNode(signed(selfKey, 1n, '10.0.1.1'));
      await db.updateLastPongReceived(nodeOf(selfKey).id, '10.0.1.1', START_MS);
      for (const [i, k] of others.entries()) {
        const ip = `10.0.2.${i + 1}`;
        await db.updateNode(signed(k, 1n, ip));
        if (i === 0) continue; // never ponged
        const age = i === 1 ? 6 * DAY_MS : 1000 * i; // one too old
        await db.updateLastPongReceived(nodeOf(k).id, ip, START_MS - age);
      }
      return { db, seeds: await db.querySeeds(30, 5 * DAY_MS) };
    };
    const { db, seeds } = await seedsOf(1);
    expect(hexIds(seeds)).toEqual(hexIds(others.slice(2).map((k) => nodeOf(k))));
    const excluded = bytesToHex((others[2] as TestKey).id);
    for (let i = 0; i < 10; i++) {
      const few = await db.querySeeds(3, 5 * DAY_MS, { exclude: (others[2] as TestKey).id });
      expect(few).toHaveLength(3);
      expect(new Set(hexIds(few)).size).toBe(3);
      expect(hexIds(few)).not.toContain(excluded);
    }
    const again = (await seedsOf(1)).seeds;
    expect(again.map((n) => bytesToHex(n.id))).toEqual(seeds.map((n) => bytesToHex(n.id)));
    await expect(db.querySeeds(-1, 1)).rejects.toThrow(RangeError);
  });

  it('keeps the record with the highest seq', async () => {
    const [selfKey, key] = keys(2) as [TestKey, TestKey];
    const db = new MemoryNodeStore().view(nodeOf(selfKey).id);
    await db.updateNode(signed(key, 5n, '10.0.0.5'));
    await db.updateNode(signed(key, 4n, '10.0.0.4'));
    await db.updateLastPongReceived(nodeOf(key).id, '10.0.0.5', Date.now());
    const [seed] = await db.querySeeds(1, DAY_MS);
    expect(seed?.seq).toBe(5n);
    await db.updateNode(signed(key, 6n, '10.0.0.6'));
    expect(await db.querySeeds(1, DAY_MS)).toEqual([]); // no pong at the new IP yet
    expect(db.size.records).toBe(1);
  });

  it('stays bounded under a flood of pings from distinct endpoints', async () => {
    const store = new MemoryNodeStore({ maxEndpoints: 1000, maxRecords: 10 });
    const [selfKey, bondedKey, ...rest] = keys(14) as [TestKey, TestKey, ...TestKey[]];
    const db = store.view(nodeOf(selfKey).id);
    const bonded = nodeOf(bondedKey);
    await db.updateLastPongReceived(bonded.id, '10.9.9.9', START_MS);
    for (let i = 0; i < 100_000; i++) {
      const ip = `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
      const id = new Uint8Array(32);
      new DataView(id.buffer).setUint32(0, i + 1);
      await db.updateLastPingReceived(id, ip, START_MS);
      if (i === 500) expect(await db.lastPongReceived(bonded.id, '10.9.9.9')).toBe(START_MS);
    }
    expect(db.size.endpoints).toBe(1000);
    // One ID from many IPs keeps its last MAX_IPS_PER_ID of them.
    for (let i = 0; i < 1000; i++)
      await db.updateLastPingReceived(bonded.id, `10.8.${i >> 8}.${i & 0xff}`, 7);
    expect(await db.lastPingReceived(bonded.id, '10.8.3.231')).toBe(7);
    expect(await db.lastPingReceived(bonded.id, '10.8.0.0')).toBe(0);
    expect(db.size.endpoints).toBe(1000);
    for (const [i, k] of rest.entries()) await db.updateNode(signed(k, 1n, `10.1.0.${i + 1}`));
    expect(db.size.records).toBe(10);
    expect(() => new MemoryNodeStore({ maxEndpoints: 0 })).toThrow(RangeError);
    expect(() => new MemoryNodeStore({ maxRecords: 1.5 })).toThrow(RangeError);
  });
});

describe('discv4 nodes sharing one MemoryNodeStore', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('bond, fill their tables and keep their bonds apart', async () => {
    const clock = new SimulatedClock(START_MS);
    const net = new MemoryNetwork();
    const store = new MemoryNodeStore({ clock });
    const nodes: DiscoveryV4[] = [];
    for (let i = 1; i <= 12; i++) {
      const privateKey = generatePrivateKey();
      const db = store.view(nodeIdFromPublicKey(publicKey(privateKey)));
      const localNode = await LocalNode.create({ privateKey, db, clock });
      const ip = `10.3.0.${i}`;
      const socket = net.bind(ip, 30303);
      localNode.setFallbackIp(ip);
      localNode.setFallbackUdpPort(30303);
      const service = new DiscoveryV4({
        privateKey,
        localNode,
        db,
        socket,
        clock,
        random: seededRandom(i),
        logger: silentLogger,
        bootnodes: nodes.length === 0 ? [] : [(nodes[0] as DiscoveryV4).self()],
        config: { bondWaitMs: 0 },
      });
      stops.push(async () => {
        await service.stop();
        await localNode.close();
      });
      await service.start();
      nodes.push(service);
    }
    await waitFor(() => nodes.every((n) => n.nodes().length >= 6), {
      what: 'every table holds half the nodes',
      clock: { clock, stepMs: 250, maxMs: 120_000 },
    });
    expect(store.size).toBe(12);
    const [first, second] = nodes as [DiscoveryV4, DiscoveryV4];
    const view = store.view(first.localNode.id);
    const other = second.self();
    expect(await view.lastPongReceived(other.id, other.ip ?? '')).toBeGreaterThan(0);
    expect(await store.view(other.id).lastPongReceived(other.id, other.ip ?? '')).toBe(0);
  });
});
