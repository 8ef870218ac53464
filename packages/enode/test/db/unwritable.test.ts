/**
 * A node database whose directory the process cannot write (another owner, or mode 0555): the
 * open fails with `OPEN_FAILED` naming the reason, and the database is left as it was, never
 * discarded or moved aside, even though its parent (the datadir) is writable. Real permissions,
 * no injection: as root (where permission bits do not deny) the open runs in a child process as
 * the unprivileged user `nobody`, in a datadir of its own whose `nodes/` belongs to root, as
 * after a node was once started under another account.
 * @module
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '@ethp2p/base';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { ENCODINGS } from '../../src/db/backend.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { contents } from './helpers/contents.ts';
import { useTempDirs } from './helpers/temp-dir.ts';

const tempDir = useTempDirs();
const NOBODY = 65534;
const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(PACKAGE, 'dist/index.js');
const isRoot = process.getuid?.() === 0;

/** Directories made read-only by a test, given back their mode so they can be removed. */
const locked: string[] = [];
afterEach(async () => {
  for (const dir of locked.splice(0)) await chmod(dir, 0o755);
});

/** A database at `<dir>/nodes` holding 50 entries, closed. */
async function populated(dir: string): Promise<string> {
  const path = join(dir, 'nodes');
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
  await db.batch(
    Array.from({ length: 50 }, (_, i) => ({
      type: 'put' as const,
      key: Uint8Array.of(0x6e, 0x3a, i),
      value: new Uint8Array(40).fill(i),
    })),
  );
  await db.close();
  return path;
}

/** Opens the database at `path` as `nobody` in a child process; its error code and message. */
async function openAsNobody(path: string): Promise<{ code?: string | undefined; message: string }> {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run pnpm build first`);
  const script = `import { NodeDatabase } from ${JSON.stringify(DIST)};
    try { const db = await NodeDatabase.open({ path: process.argv[1] }); await db.close();
      process.stdout.write(JSON.stringify({ message: 'opened' }));
    } catch (e) { process.stdout.write(JSON.stringify({ code: e.code, message: e.message })); }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], {
    cwd: PACKAGE,
    uid: NOBODY,
    gid: NOBODY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await once(child, 'exit', { signal: AbortSignal.timeout(20_000) });
  if (out === '') throw new Error(`the child printed nothing; stderr: ${err}`);
  return JSON.parse(out) as { code?: string | undefined; message: string };
}

describe('a node database in a directory this process cannot write', () => {
  it('fails with OPEN_FAILED and leaves the database as it was', async () => {
    const dir = await tempDir();
    const path = await populated(dir);
    const before = await contents(path);
    let outcome: { code?: string | undefined; message: string };
    if (isRoot) {
      // The datadir is nobody's own; its nodes/ stays root's: nobody may read it, not write it.
      await chown(dir, NOBODY, NOBODY);
      await chmod(path, 0o755);
      outcome = await openAsNobody(path);
    } else {
      await chmod(path, 0o555);
      locked.push(path);
      const err = await NodeDatabase.open({ path, logger: new MemoryLogger() }).catch(
        (e: unknown) => e as Error & { code?: string },
      );
      outcome = err instanceof Error ? { code: err.code, message: err.message } : { message: '' };
    }
    expect(outcome.code).toBe('OPEN_FAILED');
    expect(outcome.message).toContain(path);
    expect(outcome.message).toContain('Permission denied');
    expect(await contents(path)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});
