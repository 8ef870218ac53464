/**
 * The node database remembers the stored ping and pong times of recent endpoints: a Ping flood
 * from the same endpoints costs no store read per packet and at most one write per endpoint and
 * second, and nothing deleted from the store is ever served from memory.
 * @module
 */
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { keccak256 } from '@ethp2p/crypto';
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCODINGS, type Level } from '../../src/db/backend.ts';
import { EndpointTimes } from '../../src/db/endpoint-times.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';

const START_MS = 1_700_000_000_000;
const open: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

const idOf = (i: number): Uint8Array => keccak256(new TextEncoder().encode(`endpoint${i}`));

/**
 * A store that counts its writes and reads, and can hold reads until released: a held read has
 * its value from the moment it was asked, but answers only on release.
 */
function countingStore(): {
  store: Level;
  writes: () => number;
  reads: () => number;
  holdReads: () => () => void;
} {
  const store: Level = new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS);
  let writes = 0;
  let reads = 0;
  let gate: Promise<void> | undefined;
  store.on('write', (ops: unknown[]) => {
    writes += ops.length;
  });
  const get = store.get.bind(store);
  store.get = (async (key: Uint8Array) => {
    reads++;
    const held = gate;
    const value = await get(key);
    if (held !== undefined) await held;
    return value;
  }) as Level['get'];
  return {
    store,
    writes: () => writes,
    reads: () => reads,
    holdReads: () => {
      let release = (): void => undefined;
      gate = new Promise((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
  };
}

async function openDb(store: Level, clock: SimulatedClock): Promise<NodeDatabase> {
  const db = await NodeDatabase.open({
    path: 'times',
    clock,
    logger: new MemoryLogger(),
    backend: { create: () => store, repair: async () => undefined },
  });
  open.push(db);
  return db;
}

describe('the node database ping and pong times', () => {
  it('writes a ping once per endpoint and second, and reads each time once', async () => {
    const clock = new SimulatedClock(START_MS);
    const counting = countingStore();
    const db = await openDb(counting.store, clock);
    const id = idOf(1);
    const writesBefore = counting.writes();
    for (let i = 0; i < 10; i++) await db.updateLastPingReceived(id, '10.0.0.1', START_MS + i * 50);
    expect(counting.writes() - writesBefore).toBe(1);
    await db.updateLastPingReceived(id, '10.0.0.1', START_MS + 1000);
    expect(counting.writes() - writesBefore).toBe(2);
    expect(await db.lastPingReceived(id, '10.0.0.1')).toBe(START_MS + 1000);

    const readsBefore = counting.reads();
    for (let i = 0; i < 5; i++) expect(await db.lastPongReceived(id, '10.0.0.1')).toBe(0);
    expect(counting.reads() - readsBefore).toBe(1);
    await db.updateLastPongReceived(id, '10.0.0.1', START_MS + 2000);
    expect(await db.lastPongReceived(id, '10.0.0.1')).toBe(START_MS + 2000);
    expect(counting.reads() - readsBefore).toBe(1);
    // What memory said is what the store holds: a fresh database reads the same.
    await db.close();
    const again = await openDb(counting.store, clock);
    expect(await again.lastPingReceived(id, '10.0.0.1')).toBe(START_MS + 1000);
    expect(await again.lastPongReceived(id, '10.0.0.1')).toBe(START_MS + 2000);
  });

  it('serves nothing it deleted: a deleted node reads as never seen', async () => {
    const clock = new SimulatedClock(START_MS);
    const counting = countingStore();
    const db = await openDb(counting.store, clock);
    const id = idOf(2);
    await db.updateLastPingReceived(id, '10.0.0.2', START_MS);
    await db.updateLastPongReceived(id, '10.0.0.2', START_MS);
    await db.deleteNode(id);
    expect(await db.lastPingReceived(id, '10.0.0.2')).toBe(0);
    expect(await db.lastPongReceived(id, '10.0.0.2')).toBe(0);
    // The same second again after the deletion is written, not skipped.
    await db.updateLastPingReceived(id, '10.0.0.2', START_MS);
    await db.close();
    const again = await openDb(counting.store, clock);
    expect(await again.lastPingReceived(id, '10.0.0.2')).toBe(START_MS);
  });

  it('does not remember a read that was under way when the node was deleted', async () => {
    const clock = new SimulatedClock(START_MS);
    const counting = countingStore();
    const db = await openDb(counting.store, clock);
    const id = idOf(3);
    await db.updateLastPongReceived(id, '10.0.0.3', START_MS);
    await db.close();
    const fresh = await openDb(counting.store, clock);
    const release = counting.holdReads();
    const reading = fresh.lastPongReceived(id, '10.0.0.3');
    await fresh.deleteNode(id);
    release();
    expect(await reading).toBe(START_MS); // its value was read before the deletion
    expect(await fresh.lastPongReceived(id, '10.0.0.3')).toBe(0);
  });
});

describe('EndpointTimes', () => {
  it('forgets the least recently used endpoint beyond its bound', () => {
    const times = new EndpointTimes(2);
    times.set('a', 'ping', 1);
    times.set('b', 'ping', 2);
    times.set('a', 'pong', 3); // a is now the most recent
    times.set('c', 'ping', 4);
    expect(times.size).toBe(2);
    expect(times.get('b', 'ping')).toBeUndefined();
    expect(times.get('a', 'ping')).toBe(1);
    expect(times.get('a', 'pong')).toBe(3);
    expect(times.get('c', 'pong')).toBeUndefined();
  });

  it('drops a read that crossed a deletion, or that a write overtook', () => {
    const times = new EndpointTimes();
    const epoch = times.epoch;
    times.forget('x');
    times.setRead('a', 'ping', 5, epoch);
    expect(times.get('a', 'ping')).toBeUndefined();
    times.set('a', 'ping', 7);
    times.setRead('a', 'ping', 5, times.epoch);
    expect(times.get('a', 'ping')).toBe(7);
    times.forgetNode('a');
    expect(times.get('a', 'ping')).toBeUndefined();
  });
});
