import { MemoryLogger, SimulatedClock, seededRandom } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeKey } from '../../src/db/keys.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { openStore } from '../../src/db/open.ts';
import { sampleNodes } from '../../src/db/seeds.ts';
import type { Node } from '../../src/node.ts';
import { plainNode, signedNode, testKey } from './helpers/nodes.ts';

const DAY = 24 * 3600_000;
const MAX_AGE = 5 * DAY; // the table's seed age (geth seedMaxAge)
const dbs: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
});

/** 50 nodes with fixed keys: 30 ponged within 5 days, 10 ponged 6 days ago, 5 never ponged, 5 without an IP. */
async function populated(seed: number) {
  const clock = new SimulatedClock(1_700_000_000_000);
  const db = await NodeDatabase.open({
    clock,
    random: seededRandom(seed),
    logger: new MemoryLogger(),
  });
  dbs.push(db);
  const live: Node[] = [];
  for (let i = 0; i < 30; i++) {
    const ip = `10.0.1.${i}`;
    const n = i % 2 === 0 ? signedNode(ip, 1n, testKey(i)) : plainNode(ip, testKey(i));
    await db.updateNode(n);
    await db.updateLastPongReceived(n.id, `10.0.1.${i}`, clock.now() - (i % 5) * DAY);
    live.push(n);
  }
  for (let i = 0; i < 10; i++) {
    const n = signedNode(`10.0.2.${i}`, 1n, testKey(100 + i));
    await db.updateNode(n);
    await db.updateLastPongReceived(n.id, `10.0.2.${i}`, clock.now() - 6 * DAY);
    await db.updateLastPongReceived(n.id, `10.0.9.${i}`, clock.now()); // not the record's IP
  }
  for (let i = 0; i < 5; i++) await db.updateNode(signedNode(`10.0.3.${i}`, 1n, testKey(200 + i)));
  for (let i = 0; i < 5; i++) await db.updateNode(plainNode(undefined, testKey(300 + i)));
  return { db, live: new Set(live.map((n) => bytesToHex(n.id))), self: live[0] as Node };
}

const ids = (nodes: Node[]): string[] => nodes.map((n) => bytesToHex(n.id));

describe('NodeDatabase.querySeeds', () => {
  it.each([1, 2, 3, 4])(
    'returns only live, distinct nodes, at most n, never self (seed %i)',
    async (seed) => {
      const { db, live, self } = await populated(seed);
      for (const n of [1, 10, 30, 100]) {
        const seeds = await db.querySeeds(n, MAX_AGE, { exclude: self.id });
        const got = ids(seeds);
        expect(got.length).toBeLessThanOrEqual(n);
        expect(new Set(got).size).toBe(got.length);
        for (const id of got) expect(live.has(id)).toBe(true);
        expect(got).not.toContain(bytesToHex(self.id));
        if (n >= 10) expect(got.length).toBeGreaterThan(0); // 5n seeks cover the keyspace
      }
    },
  );

  it('never returns the node whose local seq this database stores, even without exclude', async () => {
    const { db, self } = await populated(5);
    expect(ids(await db.querySeeds(100, MAX_AGE))).toContain(bytesToHex(self.id));
    await db.storeLocalSeq(self.id, 7n);
    expect(ids(await db.querySeeds(100, MAX_AGE))).not.toContain(bytesToHex(self.id));
  });

  it('finds most live nodes when asked for many', async () => {
    const { db, live } = await populated(7);
    const got = ids(await db.querySeeds(30, MAX_AGE));
    expect(got.length).toBeGreaterThanOrEqual(15);
    expect(got.every((id) => live.has(id))).toBe(true);
  });

  it('is repeatable with the same seeded random', async () => {
    const a = await populated(11);
    const b = await populated(11);
    const first = ids(await a.db.querySeeds(10, MAX_AGE));
    expect(first.length).toBeGreaterThan(0);
    expect(ids(await b.db.querySeeds(10, MAX_AGE))).toEqual(first);
  });

  it('returns nothing from an empty database or for n = 0', async () => {
    const db = await NodeDatabase.open({ logger: new MemoryLogger() });
    dbs.push(db);
    expect(await db.querySeeds(10, MAX_AGE)).toEqual([]);
    const { db: full } = await populated(3);
    expect(await full.querySeeds(0, MAX_AGE)).toEqual([]);
    await expect(full.querySeeds(-1, MAX_AGE)).rejects.toThrow(RangeError);
  });
});

describe('sampleNodes', () => {
  it('skips and reports records that fail to decode', async () => {
    const db = await openStore(undefined, new MemoryLogger());
    const good = new Uint8Array(32).fill(0x80);
    await db.put(nodeKey(good), Uint8Array.of(1));
    for (let i = 0; i < 8; i++)
      await db.put(nodeKey(new Uint8Array(32).fill(i * 16)), Uint8Array.of(0));
    const bad: string[] = [];
    const found = await sampleNodes(db, {
      n: 3,
      random: seededRandom(1),
      decode: async (key, value) => {
        if (value[0] === 1) return { id: key.subarray(2, 34) };
        bad.push(bytesToHex(key));
        await db.del(key);
        return undefined;
      },
      accept: async () => true,
    });
    expect(found.map((f) => bytesToHex(f.id))).toEqual([bytesToHex(good)]);
    expect(bad.length).toBeGreaterThan(0);
    await db.close();
  });
});
