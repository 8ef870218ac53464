/**
 * Every new key that pings adds an entry; one that never answers our ping back never sent a
 * pong, and geth's expiry (by pong) would keep it forever. The database keeps at most
 * MAX_UNBONDED_ENDPOINTS of them (the newest), never evicting a bonded endpoint, and the expirer
 * drops them 24 h after their last ping, on the injected clock.
 * @module
 */
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { keccak256 } from '@ethp2p/crypto';
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCODINGS, type Level } from '../../src/db/backend.ts';
import { DB_CLEANUP_CYCLE_MS, NODE_EXPIRATION_MS } from '../../src/db/constants.ts';
import { FIELD, splitNodeItemKey } from '../../src/db/keys.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { MAX_UNBONDED_ENDPOINTS } from '../../src/db/unbonded.ts';

const START_MS = 1_700_000_000_000;
const HOUR = 3600_000;
const open: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

/** A distinct 32-byte ID per `i` (node IDs need not be valid keys here). */
const idOf = (tag: string, i: number): Uint8Array =>
  keccak256(new TextEncoder().encode(`${tag}${i}`));
const ipOf = (i: number): string => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;

/** Per-IP field keys in the store: how many endpoints hold a ping, a pong, or a ping only. */
async function census(store: Level): Promise<{ keys: number; pingOnly: number; ponged: number }> {
  const fields = new Map<string, Set<string>>();
  let keys = 0;
  for await (const key of store.keys()) {
    keys++;
    const item = splitNodeItemKey(key);
    if (item === undefined) continue;
    const endpoint = Buffer.from(key.subarray(0, key.length - item.field.length)).toString('hex');
    const set = fields.get(endpoint) ?? new Set<string>();
    set.add(item.field);
    fields.set(endpoint, set);
  }
  let pingOnly = 0;
  let ponged = 0;
  for (const set of fields.values()) {
    if (set.has(FIELD.lastPong)) ponged++;
    else if (set.has(FIELD.lastPing)) pingOnly++;
  }
  return { keys, pingOnly, ponged };
}

describe('the node database bound on pingers that never answered', () => {
  it('keeps the newest MAX_UNBONDED_ENDPOINTS, never a bonded one, and expires them after 24 h', async () => {
    const clock = new SimulatedClock(START_MS);
    const store: Level = new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS);
    const db = await NodeDatabase.open({
      path: 'bounded',
      clock,
      logger: new MemoryLogger(),
      backend: { create: () => store, repair: async () => undefined },
    });
    open.push(db);
    const BONDED = 20;
    for (let i = 0; i < BONDED; i++) {
      await db.updateLastPingReceived(idOf('bonded', i), ipOf(i), clock.now());
      await db.updateLastPongReceived(idOf('bonded', i), ipOf(i), clock.now());
    }
    const STRANGERS = MAX_UNBONDED_ENDPOINTS + 2000;
    for (let i = 0; i < STRANGERS; i++) {
      await db.updateLastPingReceived(idOf('stranger', i), ipOf(i), clock.now());
      if (i % 1000 === 999) clock.advance(1000);
    }
    const bounded = await census(store);
    expect(bounded.pingOnly).toBe(MAX_UNBONDED_ENDPOINTS);
    expect(bounded.ponged).toBe(BONDED);
    expect(bounded.keys).toBe(1 + 2 * BONDED + MAX_UNBONDED_ENDPOINTS); // + the version key
    // The oldest strangers went, the newest stay; every bonded endpoint stays.
    expect(await db.lastPingReceived(idOf('stranger', 0), ipOf(0))).toBe(0);
    const last = STRANGERS - 1;
    expect(await db.lastPingReceived(idOf('stranger', last), ipOf(last))).toBeGreaterThan(0);
    for (let i = 0; i < BONDED; i++) {
      expect(await db.lastPongReceived(idOf('bonded', i), ipOf(i))).toBe(START_MS);
    }

    // A day later the bonded nodes answer again; the strangers never did.
    clock.advance(NODE_EXPIRATION_MS - HOUR);
    await db.idle();
    for (let i = 0; i < BONDED; i++) {
      await db.updateLastPongReceived(idOf('bonded', i), ipOf(i), clock.now());
    }
    for (let pass = 0; pass < 2; pass++) {
      clock.advance(DB_CLEANUP_CYCLE_MS);
      await db.idle();
    }
    expect(await census(store)).toEqual({ keys: 1 + 2 * BONDED, pingOnly: 0, ponged: BONDED });
  });
});
