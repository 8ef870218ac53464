import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { distance, Node as EnodeNode, randomIdAtDistance } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { bucketIndex } from '../../src/table/bucket.ts';
import {
  BUCKET_IP_LIMIT,
  BUCKET_SIZE,
  MAX_REPLACEMENTS,
  TABLE_IP_LIMIT,
} from '../../src/table/constants.ts';
import { Table } from '../../src/table/table.ts';
import type { TableEvents, TableOptions } from '../../src/table/types.ts';
import { KeyPool, nodeOf, SELF_ID, scriptedRandom, signedNode, uniqueIp } from './helpers.ts';

const pool = new KeyPool(1500);

function newTable(options: Partial<TableOptions> = {}): Table {
  return new Table({
    selfId: SELF_ID,
    clock: new SimulatedClock(1_000),
    random: seededRandom(7),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...options,
  });
}

type Recorded = { event: keyof TableEvents; id: string; bucket: number; reason?: string };

function recordEvents(table: Table): Recorded[] {
  const out: Recorded[] = [];
  table.events.on('node:added', ({ node, bucket }) =>
    out.push({ event: 'node:added', id: bytesToHex(node.id), bucket }),
  );
  table.events.on('node:removed', ({ node, bucket, reason }) =>
    out.push({ event: 'node:removed', id: bytesToHex(node.id), bucket, reason }),
  );
  return out;
}

const hex = (n: Node): string => bytesToHex(n.id);

/** Fills the d=256 bucket (index 16) with BUCKET_SIZE nodes and returns them. */
function fillBucket(table: Table): Node[] {
  const nodes = pool.take(256, BUCKET_SIZE).map((k) => nodeOf(k));
  for (const n of nodes) expect(table.addFoundNode(n)).toBe(true);
  return nodes;
}

describe('bucketIndex', () => {
  it.each([
    [1, 0],
    [100, 0],
    [239, 0],
    [240, 0],
    [241, 1],
    [250, 10],
    [255, 15],
    [256, 16],
  ])('log distance %i goes to bucket %i', (d, want) => {
    const id = randomIdAtDistance(SELF_ID, d, seededRandom(d));
    expect(bucketIndex(SELF_ID, id)).toBe(want);
  });
});

describe('Table: adding nodes', () => {
  it('places nodes in the bucket of their log distance', () => {
    const table = newTable();
    for (const d of [256, 255, 254, 252]) {
      const [key] = pool.take(d);
      if (key === undefined) throw new Error('no key');
      const node = nodeOf(key);
      expect(table.addFoundNode(node)).toBe(true);
      expect(table.info(node.id)?.bucket).toBe(d - 240);
      expect(table.buckets()[d - 240]?.entries.map(hex)).toEqual([hex(node)]);
    }
    expect(table.size).toBe(4);
  });

  it('puts far-from-self-prefix nodes (distance ≤ 240) in bucket 0', () => {
    const [key] = pool.take(256);
    if (key === undefined) throw new Error('no key');
    const selfId = randomIdAtDistance(key.id, 120, seededRandom(1));
    const table = newTable({ selfId });
    expect(table.addFoundNode(nodeOf(key))).toBe(true);
    expect(table.info(key.id)?.bucket).toBe(0);
  });

  it('never adds self or nodes without a usable endpoint', () => {
    const [a, b, c, d, e] = pool.take(256, 5);
    if (a === undefined || b === undefined || c === undefined || d === undefined || e === undefined)
      throw new Error('no key');
    const self = newTable({ selfId: a.id });
    expect(self.addFoundNode(nodeOf(a))).toBe(false);
    const table = newTable();
    table.markInitDone();
    expect(table.addFoundNode(nodeOf(b, '0.0.0.0'))).toBe(false);
    expect(table.addFoundNode(nodeOf(c, '::'))).toBe(false);
    expect(table.addInboundNode(nodeOf(d, '1.2.3.4', 0))).toBe(false);
    expect(table.addFoundNode(nodeOfNoIp(e))).toBe(false);
    expect(table.size).toBe(0);
    expect(() => table.addFoundNode({} as Node)).toThrow(TypeError);
  });

  it('rejects inbound nodes until the first refresh completed', () => {
    const table = newTable();
    const [a, b] = pool.take(256, 2).map((k) => nodeOf(k));
    if (a === undefined || b === undefined) throw new Error('no key');
    expect(table.addInboundNode(a)).toBe(false);
    expect(table.has(a.id)).toBe(false);
    expect(table.addFoundNode(b)).toBe(true);
    table.markInitDone();
    expect(table.initDone).toBe(true);
    expect(table.addInboundNode(a)).toBe(true);
    expect(table.has(a.id)).toBe(true);
  });

  it('keeps nodes for a full bucket as replacements, newest first, evicting the oldest', () => {
    const table = newTable();
    const events = recordEvents(table);
    fillBucket(table);
    const extra = pool.take(256, MAX_REPLACEMENTS + 2).map((k) => nodeOf(k));
    for (const n of extra) expect(table.addFoundNode(n)).toBe(false);
    expect(table.size).toBe(BUCKET_SIZE);
    const snapshot = table.buckets()[16];
    expect(snapshot?.entries).toHaveLength(BUCKET_SIZE);
    expect(snapshot?.replacements.map(hex)).toEqual(
      extra.slice(2).reverse().map(hex), // the first two were evicted
    );
    expect(events.filter((e) => e.event === 'node:added')).toHaveLength(BUCKET_SIZE);
    // Adding a known replacement again changes nothing.
    expect(table.addFoundNode(extra[5] as Node)).toBe(false);
    expect(table.buckets()[16]?.replacements).toHaveLength(MAX_REPLACEMENTS);
  });

  it('deleteNode promotes a random replacement and reports both events', () => {
    const script: number[] = [];
    const table = newTable({ random: scriptedRandom(script) });
    const entries = fillBucket(table);
    const reps = pool.take(256, 4).map((k) => nodeOf(k)); // kept as reps[3], [2], [1], [0]
    for (const n of reps) table.addFoundNode(n);
    const events = recordEvents(table);
    const victim = entries[3] as Node;
    script.push(2); // the replacement index drawn by the deletion → reps[1]
    table.deleteNode(victim);
    expect(table.has(victim.id)).toBe(false);
    expect(table.has((reps[1] as Node).id)).toBe(true);
    expect(table.size).toBe(BUCKET_SIZE);
    expect(table.buckets()[16]?.replacements.map(hex)).toEqual(
      [reps[3], reps[2], reps[0]].map((n) => hex(n as Node)),
    );
    expect(events).toEqual([
      { event: 'node:removed', id: hex(victim), bucket: 16, reason: 'deleted' },
      { event: 'node:added', id: hex(reps[1] as Node), bucket: 16 },
    ]);
  });

  it('deleteNode without replacements shrinks the bucket; absent nodes are a no-op', () => {
    const table = newTable();
    const [k] = pool.take(255);
    if (k === undefined) throw new Error('no key');
    const n = nodeOf(k);
    table.addFoundNode(n);
    const events = recordEvents(table);
    table.deleteNode(n);
    table.deleteNode(n);
    expect(table.size).toBe(0);
    expect(events).toEqual([{ event: 'node:removed', id: hex(n), bucket: 15, reason: 'deleted' }]);
  });
});

function nodeOfNoIp(key: { pub: Uint8Array }): Node {
  return EnodeNode.fromPublicKey(key.pub, { udp: 30303 });
}

describe('Table: IP limits', () => {
  it(`allows ${BUCKET_IP_LIMIT} addresses per /24 per bucket`, () => {
    const table = newTable();
    const [a, b, c] = pool.take(256, 3);
    const [d] = pool.take(255);
    if (a === undefined || b === undefined || c === undefined || d === undefined)
      throw new Error('no key');
    expect(table.addFoundNode(nodeOf(a, '50.1.1.1'))).toBe(true);
    expect(table.addFoundNode(nodeOf(b, '50.1.1.2'))).toBe(true);
    expect(table.addFoundNode(nodeOf(c, '50.1.1.3'))).toBe(false);
    expect(table.addFoundNode(nodeOf(d, '50.1.1.3'))).toBe(true); // another bucket
    // Deleting frees the slot.
    table.deleteNode(nodeOf(a, '50.1.1.1'));
    expect(table.addFoundNode(nodeOf(c, '50.1.1.3'))).toBe(true);
  });

  it(`allows ${TABLE_IP_LIMIT} addresses per /24 in the table`, () => {
    const table = newTable();
    const keys = [256, 255, 254, 253, 252].flatMap((d) => pool.take(d, 2));
    for (const [i, k] of keys.entries()) {
      expect(table.addFoundNode(nodeOf(k, `60.1.1.${i + 1}`))).toBe(true);
    }
    const [eleventh] = pool.take(251);
    if (eleventh === undefined) throw new Error('no key');
    expect(table.addFoundNode(nodeOf(eleventh, '60.1.1.99'))).toBe(false);
    expect(table.addFoundNode(nodeOf(eleventh, '60.1.2.99'))).toBe(true);
  });

  it.each(['192.168.0.', '127.0.0.', '10.0.0.'])('exempts LAN addresses (%s*)', (prefix) => {
    const table = newTable();
    const keys = pool.take(256, BUCKET_SIZE);
    for (const [i, k] of keys.entries()) {
      expect(table.addFoundNode(nodeOf(k, `${prefix}${i + 1}`))).toBe(true);
    }
    expect(table.size).toBe(BUCKET_SIZE);
  });

  it('counts replacements against the bucket limit', () => {
    const table = newTable();
    fillBucket(table);
    const [a, b, c] = pool.take(256, 3);
    if (a === undefined || b === undefined || c === undefined) throw new Error('no key');
    table.addFoundNode(nodeOf(a, '70.1.1.1'));
    table.addFoundNode(nodeOf(b, '70.1.1.2'));
    table.addFoundNode(nodeOf(c, '70.1.1.3'));
    expect(table.buckets()[16]?.replacements.map(hex)).toEqual([b, a].map((k) => bytesToHex(k.id)));
  });
});

describe('Table: updating known nodes', () => {
  it('updates found nodes only with a higher seq, inbound nodes with any seq', () => {
    const table = newTable();
    table.markInitDone();
    const [key] = pool.take(256);
    if (key === undefined) throw new Error('no key');
    const ip = uniqueIp();
    expect(table.addFoundNode(signedNode(key, 5n, ip))).toBe(true);
    expect(table.addFoundNode(signedNode(key, 5n, ip, 30304))).toBe(false);
    expect(table.addFoundNode(signedNode(key, 4n, ip))).toBe(false);
    expect(table.get(key.id)?.seq).toBe(5n);
    expect(table.addFoundNode(signedNode(key, 6n, ip))).toBe(true);
    expect(table.get(key.id)?.seq).toBe(6n);
    expect(table.addInboundNode(signedNode(key, 2n, ip))).toBe(true);
    expect(table.get(key.id)?.seq).toBe(2n);
    // discv4-found nodes have seq 0 and can never be updated by found records.
    expect(table.addFoundNode(nodeOf(key, ip))).toBe(false);
    expect(table.size).toBe(1);
  });

  it('re-checks IP limits when the IP changes and keeps the old record if over', () => {
    const table = newTable();
    const [a, b, c] = pool.take(256, 3);
    if (a === undefined || b === undefined || c === undefined) throw new Error('no key');
    table.addFoundNode(nodeOf(a, '80.1.1.1'));
    table.addFoundNode(nodeOf(b, '80.1.1.2'));
    table.addFoundNode(signedNode(c, 1n, '90.1.1.1'));
    expect(table.addFoundNode(signedNode(c, 2n, '80.1.1.3'))).toBe(false);
    expect(table.get(c.id)?.ip).toBe('90.1.1.1');
    expect(table.addFoundNode(signedNode(c, 3n, '90.1.1.7'))).toBe(true);
    expect(table.get(c.id)?.ip).toBe('90.1.1.7');
    // The old address no longer counts: two more from 90.1.1.0/24 fit... only one more.
    const [d, e] = pool.take(256, 2);
    if (d === undefined || e === undefined) throw new Error('no key');
    expect(table.addFoundNode(nodeOf(d, '90.1.1.8'))).toBe(true);
    expect(table.addFoundNode(nodeOf(e, '90.1.1.9'))).toBe(false);
  });

  it('rejects an update to an unusable endpoint', () => {
    const table = newTable();
    const [key] = pool.take(256);
    if (key === undefined) throw new Error('no key');
    table.addFoundNode(signedNode(key, 1n, '91.1.1.1'));
    expect(table.addFoundNode(signedNode(key, 2n, '0.0.0.0'))).toBe(false);
    expect(table.get(key.id)?.ip).toBe('91.1.1.1');
  });
});

describe('Table: closest', () => {
  it('matches a brute-force sort by XOR distance', () => {
    const table = newTable();
    for (const d of [256, 255, 254, 253, 252, 251, 250]) {
      for (const k of pool.take(d, d === 256 ? 16 : d === 255 ? 16 : 4))
        table.addFoundNode(nodeOf(k));
    }
    const all = table.nodes();
    expect(all.length).toBeGreaterThan(40);
    const random = seededRandom(99);
    for (let i = 0; i < 20; i++) {
      const target = random.bytes(32);
      const want = [...all]
        .sort((a, b) => (distance(target, a.id) < distance(target, b.id) ? -1 : 1))
        .slice(0, 16)
        .map(hex);
      expect(table.closest(target, 16).map(hex)).toEqual(want);
    }
    expect(table.closest(SELF_ID, 1000)).toHaveLength(all.length);
    expect(table.closest(SELF_ID, 0)).toEqual([]);
    expect(() => table.closest(new Uint8Array(31), 1)).toThrow(RangeError);
    expect(() => table.closest(SELF_ID, -1)).toThrow(RangeError);
  });
});

describe('Table: trackRequest', () => {
  it(`deletes a node after 5 consecutive failures when its bucket has ≥ ${BUCKET_SIZE / 4} entries`, async () => {
    const table = newTable();
    const events = recordEvents(table);
    const nodes = pool.take(255, 4).map((k) => nodeOf(k));
    for (const n of nodes) table.addFoundNode(n);
    const victim = nodes[0] as Node;
    for (let i = 0; i < 4; i++) await table.trackRequest(victim, false, []);
    await table.trackRequest(victim, true, []); // success resets the count
    for (let i = 0; i < 4; i++) await table.trackRequest(victim, false, []);
    expect(table.has(victim.id)).toBe(true);
    expect(table.info(victim.id)?.findnodeFailures).toBe(4);
    await table.trackRequest(victim, false, []);
    expect(table.has(victim.id)).toBe(false);
    expect(events.at(-1)).toEqual({
      event: 'node:removed',
      id: hex(victim),
      bucket: 15,
      reason: 'findnode-failures',
    });
  });

  it('keeps a failing node when its bucket is small, and adds found nodes', async () => {
    const table = newTable();
    const nodes = pool.take(254, 3).map((k) => nodeOf(k));
    for (const n of nodes) table.addFoundNode(n);
    const found = pool.take(256, 2).map((k) => nodeOf(k));
    for (let i = 0; i < 8; i++) await table.trackRequest(nodes[0] as Node, false, found);
    expect(table.has((nodes[0] as Node).id)).toBe(true);
    for (const n of found) expect(table.has(n.id)).toBe(true);
  });

  it('keeps the counts in the node database when it has one', async () => {
    const fails = new Map<string, number>();
    const db = {
      findFails: async (id: Uint8Array, ip: string | Uint8Array) =>
        fails.get(`${bytesToHex(id)}@${String(ip)}`) ?? 0,
      updateFindFails: async (id: Uint8Array, ip: string | Uint8Array, n: number) => {
        fails.set(`${bytesToHex(id)}@${String(ip)}`, n);
      },
      updateNode: async () => {},
    };
    const table = newTable({ db });
    const nodes = pool.take(256, 4).map((k) => nodeOf(k));
    for (const n of nodes) table.addFoundNode(n);
    const victim = nodes[1] as Node;
    const key = `${hex(victim)}@${victim.ip}`;
    // Concurrent reports are serialized, so no failure is lost.
    await Promise.all([1, 2, 3, 4].map(() => table.trackRequest(victim, false)));
    expect(fails.get(key)).toBe(4);
    expect(table.has(victim.id)).toBe(true);
    await table.trackRequest(victim, false);
    expect(fails.get(key)).toBe(5);
    expect(table.has(victim.id)).toBe(false);
    await table.trackRequest(victim, true);
    expect(fails.get(key)).toBe(0);
    await table.stop();
  });
});

describe('Table: events', () => {
  it('keeps working when a listener throws', () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (msg: string) => errors.push(msg) };
    const table = newTable({ logger });
    table.events.on('node:added', () => {
      throw new Error('boom');
    });
    const [k] = pool.take(256);
    if (k === undefined) throw new Error('no key');
    expect(table.addFoundNode(nodeOf(k))).toBe(true);
    expect(table.has(k.id)).toBe(true);
    expect(errors).toEqual(['table event listener threw']);
  });
});
