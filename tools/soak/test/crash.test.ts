import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, seededRandom } from '@ethp2p/base';
import { NodeDatabase } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { batchNodes, batchPresence, writeBatch } from '../src/crash/batches.ts';
import { runDbCrashLoop } from '../src/crash/db-loop.ts';
import { runNodeCrashLoop } from '../src/crash/node-loop.ts';

// The loops run built scripts (dist/crash/writer.js, packages/node/bin/ethp2p.js): `pnpm build`
// first, as for the CLI tests.
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ethp2p-crash-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('crash batches', () => {
  it('tells a whole batch from a partly lost one and from one never written', async () => {
    const db = await NodeDatabase.open({
      path: join(await tempDir(), 'nodes'),
      logger: new MemoryLogger(),
    });
    try {
      for (const b of [0, 1, 2]) expect(await writeBatch(db, b)).toBe(true);
      const lost = batchNodes(1)[2];
      if (lost === undefined) throw new Error('batch 1 has no node 2');
      await db.deleteNode(lost.id);
      expect(await batchPresence(db, 0)).toBe('all');
      expect(await batchPresence(db, 1)).toBe('part');
      expect(await batchPresence(db, 2)).toBe('all');
      expect(await batchPresence(db, 3)).toBe('none');
    } finally {
      await db.close();
    }
  });
});

describe('crash loops', () => {
  it('kill -9 of a database writer, 10 times: same key, no repair, every committed batch kept', async () => {
    const lines: string[] = [];
    const result = await runDbCrashLoop({
      datadir: await tempDir(),
      iterations: 10,
      maxKillDelayMs: 700,
      random: seededRandom(15),
      out: (line) => lines.push(line),
    });
    expect(result.problems).toEqual([]);
    expect(result.keysVerified).toBe(10);
    expect(result.batches).toBeGreaterThan(0);
    // Every batch was read back at least once (after its kill, and in the final check).
    expect(result.recordsVerified).toBeGreaterThanOrEqual(2 * result.batches);
    expect(lines.filter((l) => /^crash db: kill \d+\/10: .*reopened: ok$/.test(l))).toHaveLength(
      10,
    );
  }, 120_000);

  it('kill -9 of ethp2p node during discovery writes: same node ID, stale LOCK taken over', async () => {
    const result = await runNodeCrashLoop({
      dir: await tempDir(),
      kills: 2,
      maxKillDelayMs: 1_500,
      random: seededRandom(15),
      out: () => undefined,
    });
    expect(result.problems).toEqual([]);
    expect(result.keysVerified).toBe(2);
    expect(result.staleLocks).toBe(2);
    expect(result.pongs).toBeGreaterThan(0);
  }, 120_000);
});
