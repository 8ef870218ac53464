import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError } from '../../src/node/errors.ts';
import { DatadirLock } from '../../src/node/lock.ts';
import { tempDir } from './helpers.ts';

let root: string;
let n = 0;

beforeAll(async () => {
  root = await tempDir('ethp2p-lock-');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function datadir(): Promise<string> {
  const dir = join(root, `d${n++}`);
  await mkdir(dir);
  return dir;
}

describe('DatadirLock', () => {
  it('writes its pid to LOCK and removes the file on release', async () => {
    const dir = await datadir();
    const lock = await DatadirLock.acquire(dir);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readdir(dir)).toEqual(['LOCK']);
    await lock.release();
    await lock.release();
    expect(lock.released).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a second lock in the same process until the first is released', async () => {
    const dir = await datadir();
    const lock = await DatadirLock.acquire(dir);
    const err = await DatadirLock.acquire(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'DATADIR_LOCKED' });
    // The same directory by another path is the same lock.
    const link = join(root, `link${n++}`);
    await symlink(dir, link);
    await expect(DatadirLock.acquire(link)).rejects.toMatchObject({
      code: 'DATADIR_LOCKED',
    });
    await lock.release();
    const again = await DatadirLock.acquire(dir);
    await again.release();
  });

  it('refuses a lock held by another running process and leaves its file alone', async () => {
    const dir = await datadir();
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n`);
    await expect(DatadirLock.acquire(dir)).rejects.toThrow(
      `datadir ${dir} is in use by another ethp2p (pid ${process.ppid}); stop it or pick another --datadir`,
    );
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.ppid}\n`);
    expect(await readdir(dir)).toEqual(['LOCK']);
  });

  it.each([
    ['a dead process', '999999999\n'],
    ['no pid', 'garbage'],
    ['an empty file', ''],
    ['this process, left by an unclean stop', `${process.pid}\n`],
  ])('takes over a stale lock of %s', async (_what, content) => {
    const dir = await datadir();
    await writeFile(join(dir, 'LOCK'), content);
    const lock = await DatadirLock.acquire(dir);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('does not remove a lock file that another process took over', async () => {
    const dir = await datadir();
    const lock = await DatadirLock.acquire(dir);
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n`);
    await lock.release();
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('reports a datadir it cannot write to', async () => {
    const missing = join(root, 'no-such-dir');
    await expect(DatadirLock.acquire(missing)).rejects.toMatchObject({ code: 'DATADIR' });
  });
});
