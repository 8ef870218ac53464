import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUCKET_SIZE,
  PING_INTERVAL_MS,
  SLOW_REVALIDATION_FACTOR,
} from '../../src/table/constants.ts';
import { Table } from '../../src/table/table.ts';
import type { TableDatabase } from '../../src/table/types.ts';
import {
  flush,
  KeyPool,
  nodeOf,
  RecordingRevalidator,
  SELF_ID,
  signedNode,
  uniqueIp,
} from './helpers.ts';

const pool = new KeyPool(600);
const SLOW_MS = PING_INTERVAL_MS * SLOW_REVALIDATION_FACTOR;

interface Rig {
  clock: SimulatedClock;
  table: Table;
  rec: RecordingRevalidator;
  seeds: Node[];
}

const rigs: Rig[] = [];

function rig(seed = 1): Rig {
  const clock = new SimulatedClock(1_000_000);
  const seeds: Node[] = [];
  const db: TableDatabase = {
    updateNode: async (node) => {
      seeds.push(node);
    },
    findFails: async () => 0,
    updateFindFails: async () => {},
  };
  const table = new Table({
    selfId: SELF_ID,
    clock,
    random: seededRandom(seed),
    db,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const rec = new RecordingRevalidator(() => clock.now());
  const r = { clock, table, rec, seeds };
  rigs.push(r);
  return r;
}

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.table.stop();
    expect(r.clock.pending).toBe(0);
  }
});

/** Advances the clock in steps of `stepMs`, letting check results arrive after each step. */
async function run(r: Rig, totalMs: number, stepMs = 500): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    r.clock.advance(stepMs);
    await flush();
  }
}

/** Advances in 100 ms steps until `id` has received `count` pings and their results arrived. */
async function untilPinged(r: Rig, id: Uint8Array, count = 1): Promise<void> {
  await waitFor(() => r.rec.pingCount(id) >= count, {
    what: `${count} pings arrived`,
    clock: { clock: r.clock, stepMs: 100, maxMs: 10 * SLOW_MS },
  });
  expect(r.rec.pingCount(id)).toBe(count);
}

/** Advances in 500 ms steps until `done` holds. */
function advanceUntil(r: Rig, done: () => boolean, what: string, maxMs: number): Promise<void> {
  return waitFor(done, { what, clock: { clock: r.clock, stepMs: 500, maxMs } });
}

function one(d = 256): Node {
  const [key] = pool.take(d);
  if (key === undefined) throw new Error('no key');
  return nodeOf(key);
}

describe('revalidation (fast and slow lists, geth HEAD design)', () => {
  it('pings a new node within the fast interval and moves it to the slow list', async () => {
    const r = rig();
    const node = one();
    r.table.addFoundNode(node);
    expect(r.table.info(node.id)).toMatchObject({ revalidation: 'fast', livenessChecks: 0 });
    const start = r.clock.now();
    r.table.start(r.rec);
    expect(r.clock.pending).toBe(1);
    await untilPinged(r, node.id);
    expect(r.rec.pings[0]?.atMs).toBeLessThanOrEqual(start + PING_INTERVAL_MS);
    expect(r.table.info(node.id)).toMatchObject({
      revalidation: 'slow',
      livenessChecks: 1,
      isValidatedLive: true,
    });
    // In the slow list, gaps between pings stay within (0, SLOW_MS].
    await run(r, 20 * SLOW_MS);
    const times = r.rec.pings.map((p) => p.atMs);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThanOrEqual(SLOW_MS + 500);
    }
    expect(times.length).toBeGreaterThan(20);
  });

  it('uses one timer for both lists and none while stopped', async () => {
    const r = rig();
    const a = one();
    const b = one();
    r.table.addFoundNode(a);
    expect(r.clock.pending).toBe(0); // not started
    r.table.start(r.rec);
    r.table.start(r.rec); // no-op
    await run(r, PING_INTERVAL_MS);
    r.table.addFoundNode(b);
    expect(r.table.info(a.id)?.revalidation).toBe('slow');
    expect(r.table.info(b.id)?.revalidation).toBe('fast');
    expect(r.clock.pending).toBe(1);
    await r.table.stop();
    await r.table.stop();
    expect(r.clock.pending).toBe(0);
    const pings = r.rec.pings.length;
    await run(r, 5 * SLOW_MS);
    expect(r.rec.pings.length).toBe(pings);
  });

  it('demotes, then deletes a node that stops answering, and promotes a replacement', async () => {
    const r = rig(3);
    const removed: string[] = [];
    const added: string[] = [];
    r.table.events.on('node:removed', ({ node, reason }) =>
      removed.push(`${bytesToHex(node.id)}:${reason}`),
    );
    const entries = pool.take(256, BUCKET_SIZE).map((k) => nodeOf(k));
    for (const n of entries) r.table.addFoundNode(n);
    const replacement = one();
    r.table.addFoundNode(replacement);
    r.table.events.on('node:added', ({ node }) => added.push(bytesToHex(node.id)));
    r.table.start(r.rec);
    const victim = entries[5] as Node;
    // Let the victim pass a few checks (livenessChecks ≥ 3), then make it dead.
    const checks = (): number => r.table.info(victim.id)?.livenessChecks ?? 0;
    await advanceUntil(r, () => checks() >= 3, 'the victim passed 3 checks', 5_000_000);
    expect(r.table.info(victim.id)?.livenessChecks).toBeGreaterThanOrEqual(3);
    r.rec.set(victim.id, { alive: false });
    const seen: { checks: number; list: string }[] = [];
    let before = r.rec.pingCount(victim.id);
    const deleted = (): boolean => {
      const info = r.table.info(victim.id);
      const pings = r.rec.pingCount(victim.id);
      if (info !== undefined && pings > before) {
        seen.push({ checks: info.livenessChecks, list: info.revalidation });
      }
      before = pings;
      return info === undefined;
    };
    await advanceUntil(r, deleted, 'the victim was deleted', 2_500_000);
    expect(r.table.has(victim.id)).toBe(false);
    expect(seen.length).toBeGreaterThan(0); // demoted at least once before deletion
    for (const s of seen) expect(s).toMatchObject({ list: 'fast' });
    expect(seen.map((s) => s.checks)).toEqual([...seen.map((s) => s.checks)].sort((a, b) => b - a));
    expect(removed).toEqual([`${bytesToHex(victim.id)}:unresponsive`]);
    expect(added).toEqual([bytesToHex(replacement.id)]);
    expect(r.table.info(replacement.id)?.revalidation).toBeDefined();
    expect(r.table.size).toBe(BUCKET_SIZE);
  });

  it('exposes each entry with its liveness: last pong, failed revalidations, findnode failures', async () => {
    const r = rig(5);
    const start = r.clock.now();
    const node = one();
    const other = one(250);
    r.table.addFoundNode(node);
    r.clock.advance(10);
    r.table.addFoundNode(other);
    expect(r.table.entries()).toEqual([
      expect.objectContaining({
        node: other,
        bucket: 10,
        addedAtMs: start + 10,
        addedToBucketAtMs: start + 10,
        lastPongMs: undefined,
        failedRevalidations: 0,
        findnodeFailures: 0,
        livenessChecks: 0,
        isValidatedLive: false,
        revalidation: 'fast',
      }),
      expect.objectContaining({ node, bucket: 16, addedAtMs: start }),
    ]);
    r.table.start(r.rec);
    const checks = (): number => r.table.info(node.id)?.livenessChecks ?? 0;
    await advanceUntil(r, () => checks() >= 3, 'the node passed 3 checks', 5_000_000);
    const lastPing = r.rec.pings.filter((p) => p.id === bytesToHex(node.id)).at(-1)?.atMs ?? 0;
    const lastPong = r.table.info(node.id)?.lastPongMs ?? 0;
    expect(lastPong).toBeGreaterThanOrEqual(lastPing); // applied when the result arrived
    expect(lastPong).toBeLessThanOrEqual(r.clock.now());
    expect(r.table.info(node.id)).toMatchObject({
      failedRevalidations: 0,
      isValidatedLive: true,
      revalidation: 'slow',
    });
    r.rec.set(node.id, { alive: false });
    const failed = (): number => r.table.info(node.id)?.failedRevalidations ?? 0;
    await advanceUntil(r, () => failed() >= 1, 'a revalidation failed', 2_500_000);
    expect(r.table.info(node.id)).toMatchObject({
      lastPongMs: lastPong,
      failedRevalidations: 1,
      revalidation: 'fast',
    });
    await r.table.trackRequest(other, false);
    await r.table.trackRequest(other, false);
    // This rig's database always reads 0 failures, so each failure counts 1.
    expect(r.table.info(other.id)?.findnodeFailures).toBe(1);
    await r.table.trackRequest(other, true);
    expect(r.table.info(other.id)?.findnodeFailures).toBe(0);
  });

  it('deletes a never-validated node on its first failure', async () => {
    const r = rig();
    const node = one();
    r.rec.set(node.id, { alive: false });
    r.table.addFoundNode(node);
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    expect(r.rec.pingCount(node.id)).toBe(1);
    expect(r.table.has(node.id)).toBe(false);
  });

  it('requests the record when the pong announces a higher seq, and applies it', async () => {
    const r = rig();
    const [key] = pool.take(256);
    if (key === undefined) throw new Error('no key');
    const ip = uniqueIp();
    const v1 = signedNode(key, 1n, ip);
    const v2 = signedNode(key, 2n, ip);
    r.table.addFoundNode(v1);
    r.rec.set(key.id, { seq: 2n, record: v2 });
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    expect(r.rec.enrRequests).toEqual([bytesToHex(key.id)]);
    expect(r.table.get(key.id)?.seq).toBe(2n);
    expect(r.table.info(key.id)).toMatchObject({ revalidation: 'slow', isValidatedLive: true });
    // Same seq afterwards: no further ENR requests.
    r.rec.set(key.id, { seq: 2n });
    await run(r, 3 * SLOW_MS);
    expect(r.rec.enrRequests).toHaveLength(1);
  });

  it('keeps a node whose new record changed its endpoint in the fast list, not validated', async () => {
    const r = rig();
    const [key] = pool.take(256);
    if (key === undefined) throw new Error('no key');
    r.table.addFoundNode(signedNode(key, 1n, '100.1.1.1'));
    r.rec.set(key.id, { seq: 2n, record: signedNode(key, 2n, '100.1.1.1', 30400) });
    r.table.start(r.rec);
    await untilPinged(r, key.id);
    expect(r.table.get(key.id)?.udp).toBe(30400);
    expect(r.table.info(key.id)).toMatchObject({ revalidation: 'fast', isValidatedLive: false });
  });

  it('moves a validated node back to the fast list when an inbound record changes its endpoint', async () => {
    const r = rig();
    r.table.markInitDone();
    const node = one();
    r.table.addFoundNode(node);
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    expect(r.table.info(node.id)).toMatchObject({ revalidation: 'slow', isValidatedLive: true });
    const moved = Node.fromPublicKey(node.publicKey, { ip: uniqueIp(), udp: 30303 });
    expect(r.table.addInboundNode(moved)).toBe(true);
    expect(r.table.info(node.id)).toMatchObject({ revalidation: 'fast', isValidatedLive: false });
  });

  it('ignores the result of a check on a node removed meanwhile', async () => {
    const r = rig();
    const node = one();
    r.rec.set(node.id, { hold: true });
    r.table.addFoundNode(node);
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    expect(r.rec.pingCount(node.id)).toBe(1);
    r.table.deleteNode(node);
    r.table.addFoundNode(node); // a new entry for the same ID
    r.rec.release();
    await flush();
    expect(r.table.info(node.id)).toMatchObject({ livenessChecks: 0, revalidation: 'fast' });
    // Once the node is gone, nothing of the old entry is left to revalidate.
    r.table.deleteNode(node);
    const pings = r.rec.pingCount(node.id);
    await run(r, 5 * SLOW_MS);
    expect(r.rec.pingCount(node.id)).toBe(pings);
  });

  it('prefers validated nodes in closest(…, preferLive)', async () => {
    const r = rig();
    const live = one();
    r.table.addFoundNode(live);
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    await r.table.stop();
    const fresh = pool.take(256, 5).map((k) => nodeOf(k));
    for (const n of fresh) r.table.addFoundNode(n);
    const ids = (nodes: Node[]): string[] => nodes.map((n) => bytesToHex(n.id)).sort();
    expect(ids(r.table.closest(SELF_ID, 16, true))).toEqual(ids([live]));
    expect(r.table.closest(SELF_ID, 16, false)).toHaveLength(6);
    r.table.deleteNode(live);
    expect(r.table.closest(SELF_ID, 16, true)).toHaveLength(5); // none live: all of them
  });

  it('stores nodes with more than 5 successful checks as seeds', async () => {
    const r = rig();
    const node = one();
    r.table.addFoundNode(node);
    r.table.start(r.rec);
    const checks = (): number => r.table.info(node.id)?.livenessChecks ?? 0;
    await advanceUntil(r, () => checks() >= 5, '5 successful checks', 400_000);
    expect(r.seeds).toEqual([]);
    await advanceUntil(r, () => checks() >= 6, '6 successful checks', 400_000);
    await flush();
    expect(r.seeds.map((n) => bytesToHex(n.id))).toEqual([bytesToHex(node.id)]);
  });

  it('stop() aborts checks in flight and waits for them', async () => {
    const r = rig();
    const node = one();
    r.rec.set(node.id, { hold: true });
    r.table.addFoundNode(node);
    r.table.start(r.rec);
    await run(r, PING_INTERVAL_MS);
    const ping = r.rec.pings[0];
    expect(ping?.signal.aborted).toBe(false);
    await r.table.stop();
    expect(ping?.signal.aborted).toBe(true);
    expect(r.clock.pending).toBe(0);
    expect(r.table.info(node.id)).toMatchObject({ livenessChecks: 0 }); // result not applied
    // Restarting checks the node again.
    r.rec.set(node.id, {});
    r.table.start(r.rec);
    await untilPinged(r, node.id, 2);
    expect(r.table.info(node.id)?.livenessChecks).toBe(1);
  });
});
