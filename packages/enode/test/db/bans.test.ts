import { join } from 'node:path';
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { encodeList, encodeUint } from '@ethp2p/base/rlp';
import { afterEach, describe, expect, it } from 'vitest';
import { banKey, decodeBan, encodeBanValue } from '../../src/db/bans.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { openStore } from '../../src/db/open.ts';
import { useTempDirs } from './helpers/temp-dir.ts';

const tempDir = useTempDirs();
const open: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});
const T0 = 1_700_000_000_000;
const id = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

async function openDb(clock: SimulatedClock, path?: string): Promise<NodeDatabase> {
  const db = await NodeDatabase.open({
    clock,
    logger: new MemoryLogger(),
    ...(path === undefined ? {} : { path }),
  });
  open.push(db);
  return db;
}

describe('NodeDatabase bans', () => {
  it('stores bans by ID and by IP, replaces and deletes them', async () => {
    const clock = new SimulatedClock(T0);
    const db = await openDb(clock);
    await db.storeBan({ kind: 'id', id: id(1) }, T0 + 60_000, 'bad messages');
    await db.storeBan({ kind: 'ip', ip: '10.0.0.1' }, T0 + 30_000);
    await db.storeBan({ kind: 'ip', ip: '::ffff:10.0.0.1' }, T0 + 90_000, 'again');
    await db.storeBan({ kind: 'ip', ip: '2001:db8::1' }, T0 + 1000);
    expect(await db.bans()).toEqual([
      { kind: 'id', id: id(1), untilMs: T0 + 60_000, reason: 'bad messages' },
      { kind: 'ip', ip: '10.0.0.1', untilMs: T0 + 90_000, reason: 'again' },
      { kind: 'ip', ip: '2001:db8::1', untilMs: T0 + 1000, reason: '' },
    ]);
    await db.deleteBan({ kind: 'ip', ip: '10.0.0.1' });
    await db.deleteBan({ kind: 'id', id: id(9) });
    expect((await db.bans()).map((b) => b.kind)).toEqual(['id', 'ip']);
  });

  it('purges expired bans on the injected clock', async () => {
    const clock = new SimulatedClock(T0);
    const db = await openDb(clock);
    await db.storeBan({ kind: 'id', id: id(1) }, T0 + 1000);
    await db.storeBan({ kind: 'id', id: id(2) }, T0 + 5000);
    clock.advance(1000);
    expect((await db.bans()).map((b) => b.kind === 'id' && b.id[0])).toEqual([2]);
  });

  it('ignores and deletes corrupt entries instead of failing', async () => {
    const clock = new SimulatedClock(T0);
    const path = join(await tempDir(), 'nodes');
    await (await openDb(clock, path)).close();
    const store = await openStore(path, new MemoryLogger(), { nowMs: T0 });
    const good = banKey({ kind: 'id', id: id(3) });
    await store.put(good, encodeBanValue(T0 + 10_000, 'ok'));
    await store.put(banKey({ kind: 'id', id: id(4) }), Uint8Array.of(0xc5, 1)); // truncated
    await store.put(banKey({ kind: 'ip', ip: '1.2.3.4' }), encodeList([encodeUint(1)])); // 1 field
    await store.put(new TextEncoder().encode('ban:id:short'), encodeBanValue(T0 + 10_000, 'x'));
    await store.put(
      banKey({ kind: 'ip', ip: '1.2.3.5' }),
      encodeList([encodeUint(2n ** 60n), new Uint8Array([0x80])]),
    );
    await store.close();
    const db = await openDb(clock, path);
    expect(await db.bans()).toEqual([
      { kind: 'id', id: id(3), untilMs: T0 + 10_000, reason: 'ok' },
    ]);
    await db.close();
    const raw = await openStore(path, new MemoryLogger(), { nowMs: T0 });
    const keys: string[] = [];
    for await (const key of raw.keys()) keys.push(new TextDecoder().decode(key).slice(0, 7));
    await raw.close();
    expect(keys.filter((k) => k.startsWith('ban:'))).toEqual(['ban:id:']);
  });

  it('survives a restart', async () => {
    const clock = new SimulatedClock(T0);
    const path = join(await tempDir(), 'nodes');
    const first = await openDb(clock, path);
    await first.storeBan({ kind: 'ip', ip: '192.0.2.7' }, T0 + 3_600_000, 'spam');
    await first.close();
    const second = await openDb(clock, path);
    expect(await second.bans()).toEqual([
      { kind: 'ip', ip: '192.0.2.7', untilMs: T0 + 3_600_000, reason: 'spam' },
    ]);
  });

  it('checks its arguments', async () => {
    const db = await openDb(new SimulatedClock(T0));
    await expect(db.storeBan({ kind: 'id', id: id(1) }, -1)).rejects.toThrow(RangeError);
    await expect(db.storeBan({ kind: 'id', id: new Uint8Array(3) }, 1)).rejects.toThrow(RangeError);
    await expect(db.storeBan({ kind: 'ip', ip: 'nope' }, 1)).rejects.toThrow(TypeError);
    expect(decodeBan(new Uint8Array(0), encodeBanValue(1, ''))).toBeUndefined();
  });
});
