/**
 * A full disk while running: every write fails with ENOSPC. The database counts the failures
 * (`writeFailures`), logs the first and then at most one warning a minute (on the injected
 * clock), and its write calls resolve, so callers keep serving; reads keep working.
 * @module
 */
import { join } from 'node:path';
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { WRITE_FAILURE_LOG_INTERVAL_MS } from '../../src/db/write-failures.ts';
import { fullDiskBackend } from './helpers/failing-backend.ts';
import { signedNode } from './helpers/nodes.ts';
import { useTempDirs } from './helpers/temp-dir.ts';

const tempDir = useTempDirs();
const START_MS = 1_700_000_000_000;
const open: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function fullDisk() {
  const clock = new SimulatedClock(START_MS);
  const logger = new MemoryLogger();
  const backend = fullDiskBackend();
  const path = join(await tempDir(), 'nodes');
  const db = await NodeDatabase.open({ path, clock, logger, backend });
  open.push(db);
  return { db, clock, logger, backend, path };
}

const warnings = (logger: MemoryLogger) => logger.lines.filter((l) => l.level === 'warn');

describe('NodeDatabase on a disk that fills up while running', () => {
  it('resolves failed writes, counts them and logs once a minute at most', async () => {
    const { db, clock, logger, backend, path } = await fullDisk();
    const id = new Uint8Array(32).fill(1);
    await db.updateLastPongReceived(id, '10.0.0.1', clock.now());
    expect(db.writeFailures).toBe(0);

    backend.full = true;
    for (let i = 0; i < 50; i++) {
      await db.updateLastPingReceived(new Uint8Array(32).fill(i), '10.0.0.2', clock.now());
    }
    await db.updateFindFails(id, '10.0.0.1', 3);
    await db.updateNode(signedNode('10.0.0.3'));
    await db.storeLocalSeq(id, 7n);
    expect(db.writeFailures).toBe(53);
    expect(warnings(logger)).toEqual([
      {
        level: 'warn',
        msg: 'node database write failed; running on without saving it',
        fields: expect.objectContaining({ path, write: 'lastping', failures: 1, unlogged: 0 }),
      },
    ]);
    expect(String(warnings(logger)[0]?.fields?.error)).toContain('No space left on device');
    // Reads still work, and what was written before the disk filled is still there.
    expect(await db.lastPongReceived(id, '10.0.0.1')).toBe(START_MS);
    expect(await db.findFails(id, '10.0.0.1')).toBe(0);

    clock.advance(WRITE_FAILURE_LOG_INTERVAL_MS - 1);
    await db.updateLastPongReceived(id, '10.0.0.1', clock.now());
    expect(warnings(logger)).toHaveLength(1);
    clock.advance(1);
    await db.updateLastPongReceived(id, '10.0.0.1', clock.now());
    expect(warnings(logger)).toHaveLength(2);
    expect(warnings(logger)[1]?.fields).toMatchObject({
      write: 'lastpong',
      failures: 55,
      unlogged: 53,
    });

    backend.full = false;
    await db.updateFindFails(id, '10.0.0.1', 2);
    expect(await db.findFails(id, '10.0.0.1')).toBe(2);
    expect(db.writeFailures).toBe(55);
  });

  it('still rejects calls after close with CLOSED', async () => {
    const { db, backend } = await fullDisk();
    backend.full = true;
    await db.close();
    await expect(
      db.updateLastPingReceived(new Uint8Array(32), '10.0.0.1', START_MS),
    ).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
