/**
 * The disk fills up while discovery runs: every node database write fails with ENOSPC. The
 * service keeps serving: a new peer still gets its ping back, bonds (the bond lives in memory)
 * and gets Neighbors; the failures are counted in `db.writeFailures` and logged, not thrown.
 * @module
 */
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { type Level, NodeDatabase } from '@ethp2p/enode';
import { MemoryLevel } from 'memory-level';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { expirationFromNow } from '../../src/wire/index.ts';
import { RawPeer, START_MS, startService, type TestService } from './helpers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An in-memory store whose writes fail as on a full disk once `disk.full` is set. */
function fullDiskStore(disk: { full: boolean }): Level {
  const db: Level = new MemoryLevel<Uint8Array, Uint8Array>({
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  for (const method of ['put', 'del', 'batch', 'clear'] as const) {
    const real = (db[method] as (...args: unknown[]) => Promise<unknown>).bind(db);
    const enospc = (): Error =>
      Object.assign(new Error('IO error: nodes/000012.log: No space left on device'), {
        code: 'LEVEL_IO_ERROR',
      });
    Object.assign(db, {
      [method]: (...args: unknown[]) => (disk.full ? Promise.reject(enospc()) : real(...args)),
    });
  }
  return db;
}

describe('discovery on a full disk', () => {
  it('bonds with a new peer and answers its FindNode while every write fails', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const logger = new MemoryLogger();
    const disk = { full: false };
    const db = await NodeDatabase.open({
      path: 'nodes',
      clock,
      logger,
      backend: { create: () => fullDiskStore(disk), repair: async () => undefined },
    });
    const svc: TestService = await startService(net, '10.0.0.1', { clock, db, logger });
    closers.push(svc.close);
    await svc.service.refresh();
    disk.full = true;

    const peer = new RawPeer(net, '10.0.0.2');
    peer.autoPong(clock);
    peer.ping(svc.address, clock.now());
    await peer.next('pong');
    await peer.next('ping'); // the ping back, sent although storing the ping time failed
    peer.send(
      { type: 'findnode', target: peer.publicKey, expiration: expirationFromNow(clock.now()) },
      svc.address,
    );
    await peer.next('neighbors');
    expect(db.writeFailures).toBeGreaterThanOrEqual(2); // its ping time and its pong time
    const warned = logger.lines.filter((l) => l.level === 'warn');
    expect(warned.map((l) => l.msg)).toEqual([
      'node database write failed; running on without saving it',
    ]);
  });
});
