/**
 * Recovering a corrupt store without ever destroying it: the damaged directory is renamed aside
 * intact (`<path>.corrupt-<UTC time>`), a copy of it is repaired at `path`, and whatever fails
 * for a reason other than corruption (a full disk during the copy) puts the original back.
 * @module
 */
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Most `-N` suffixes tried for the aside name before giving up. */
const MAX_ASIDE_NAMES = 100;

/** `20261204T203700Z` for a Unix ms time. */
function stamp(timeMs: number): string {
  return new Date(timeMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Renames `path` to the first free `<path>.corrupt-<stamp>[-N]` and returns that name. A rename
 * moves nothing on disk, so it needs no free space.
 * @throws the rename's error (the store is then still at `path`), or an Error when no name is free
 */
export async function moveAside(path: string, nowMs: number): Promise<string> {
  const base = `${path}.corrupt-${stamp(nowMs)}`;
  for (let i = 0; i < MAX_ASIDE_NAMES; i++) {
    const target = i === 0 ? base : `${base}-${i}`;
    if (await exists(target)) continue;
    await rename(path, target);
    return target;
  }
  throw new Error(`too many ${base}-N copies`);
}

/**
 * Copies the store's files (a LevelDB directory is flat; subdirectories such as an earlier
 * repair's `lost/` are left out) from `from` into a new directory `to`.
 * @throws the first copy error; `to` may then hold part of the copy
 */
export async function copyStore(from: string, to: string): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isFile()) await copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/** Removes the repaired copy at `path` (ours) and renames the original back from `aside`. */
export async function restore(path: string, aside: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await rename(aside, path);
}

/** Removes the repaired copy at `path` (ours), leaving the original at its aside name. */
export async function discardCopy(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
