/**
 * Opening the underlying LevelDB store: in memory (`memory-level`) or on disk (`classic-level`),
 * the single-process lock, corruption recovery and the schema version check.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import {
  CLASSIC_LEVEL_BACKEND,
  classifyFailure,
  describe,
  type Level,
  type LevelBackend,
  memoryStore,
  rootCause,
} from './backend.ts';
import { DB_VERSION } from './constants.ts';
import { NodeDatabaseError } from './errors.ts';
import { VERSION_KEY } from './keys.ts';
import { copyStore, discardCopy, moveAside, restore } from './recover.ts';
import { decodeVarint, encodeVarint } from './varint.ts';

export { describe, type Level } from './backend.ts';

/** Keys read per step when scanning the whole store for corruption. */
const SCAN_BATCH = 1000;

/** How a persistent store is opened. */
export interface OpenStoreOptions {
  /** Creates and repairs stores (default `classic-level`). */
  readonly backend?: LevelBackend;
  /** The time that names a damaged store moved aside, in Unix ms (default `Date.now()`). */
  readonly nowMs?: number;
}

type Attempt = { ok: true; db: Level; keys: number } | { ok: false; error: unknown };

/** Opens an in-memory store, or the store at `path` with recovery (see {@link openPersistent}). */
export async function openStore(
  path: string | undefined,
  logger: Logger,
  options: OpenStoreOptions = {},
): Promise<Level> {
  if (path === undefined) {
    const db = memoryStore();
    await db.open();
    return db;
  }
  return openPersistent(path, logger, options);
}

/**
 * Opens the LevelDB store at `path`, creating it if missing, and reads it through once (the scan
 * surfaces damaged table files that opening misses).
 *
 * Only corruption (`LEVEL_CORRUPTION`) leads to repair, and the damaged store is never destroyed:
 * it is renamed aside intact to `<path>.corrupt-<UTC time>`, and a copy of it is repaired at
 * `path`. If the copy cannot even be repaired, the node starts with an empty store and the
 * original stays aside. Each step is a warning naming both paths and how many entries the
 * repaired store kept. A failure for another reason while recovering (the disk is full for the
 * copy) puts the original back where it was and fails the open.
 * @throws NodeDatabaseError `LOCKED` if another process holds the store; `OPEN_FAILED` when it
 * cannot be opened for any reason other than corruption (no space left, permission denied, a
 * read-only file system, not a directory, ...): the store is left exactly as it was.
 */
export async function openPersistent(
  path: string,
  logger: Logger,
  options: OpenStoreOptions = {},
): Promise<Level> {
  const backend = options.backend ?? CLASSIC_LEVEL_BACKEND;
  const first = await attempt(backend, path);
  if (first.ok) return first.db;
  refuseUnlessCorrupt(path, first.error);
  logger.warn('node database damaged, repairing a copy', { path, error: describe(first.error) });
  let aside: string;
  try {
    aside = await moveAside(path, options.nowMs ?? Date.now());
  } catch (err) {
    throw openFailed(path, 'cannot move the damaged database aside', err);
  }
  const recovered = await repairCopy(backend, path, aside, logger);
  if (recovered !== undefined) return recovered;
  const empty = await attempt(backend, path);
  if (empty.ok) {
    logger.warn('node database unrecoverable, started empty', { path, original: aside });
    return empty.db;
  }
  await discardCopy(path).catch(() => undefined);
  await restore(path, aside).catch(() => undefined);
  throw openFailed(path, 'cannot create an empty database', empty.error);
}

/**
 * Copies the store moved `aside` back to `path`, repairs the copy and opens it. `undefined` when
 * the copy is beyond repair (it is removed; the caller starts empty).
 * @throws NodeDatabaseError when something other than corruption fails; the original is back
 */
async function repairCopy(
  backend: LevelBackend,
  path: string,
  aside: string,
  logger: Logger,
): Promise<Level | undefined> {
  const giveBack = async (why: string, err: unknown): Promise<never> => {
    await restore(path, aside).catch((restoreErr: unknown) => {
      logger.error('node database: cannot put the original back', {
        path,
        original: aside,
        error: describe(restoreErr),
      });
    });
    throw openFailed(path, why, err);
  };
  try {
    await copyStore(aside, path);
    await backend.repair(path);
  } catch (err) {
    if (classifyFailure(err) !== 'corrupt') return giveBack('cannot repair a copy', err);
    await discardCopy(path);
    return undefined;
  }
  const repaired = await attempt(backend, path);
  if (repaired.ok) {
    logger.warn('node database repaired; entries the damage took are lost', {
      path,
      kept: repaired.keys,
      original: aside,
    });
    return repaired.db;
  }
  if (classifyFailure(repaired.error) !== 'corrupt') {
    return giveBack('cannot open the repaired copy', repaired.error);
  }
  await discardCopy(path);
  return undefined;
}

/** Opens and fully scans the store at `path`, counting its keys. */
async function attempt(backend: LevelBackend, path: string): Promise<Attempt> {
  const db = backend.create(path);
  try {
    await db.open();
  } catch (err) {
    if (classifyFailure(err) === 'locked') throw lockedError(path, err);
    return { ok: false, error: err };
  }
  try {
    return { ok: true, db, keys: await scan(db) };
  } catch (err) {
    await db.close().catch(() => undefined);
    return { ok: false, error: err };
  }
}

async function scan(db: Level): Promise<number> {
  const it = db.keys();
  let keys = 0;
  try {
    for (;;) {
      const batch = await it.nextv(SCAN_BATCH);
      if (batch.length === 0) return keys;
      keys += batch.length;
    }
  } finally {
    await it.close();
  }
}

/** @throws NodeDatabaseError `OPEN_FAILED` unless `err` is corruption */
function refuseUnlessCorrupt(path: string, err: unknown): void {
  if (classifyFailure(err) === 'corrupt') return;
  throw openFailed(path, 'cannot open it', err);
}

function openFailed(path: string, what: string, cause: unknown): NodeDatabaseError {
  return new NodeDatabaseError(
    'OPEN_FAILED',
    `node database ${path}: ${what} (${rootCause(cause)}); it was left as it was`,
    { cause },
  );
}

/**
 * Makes the store hold schema {@link DB_VERSION}: a store with another version, or with data but
 * no version, is cleared first (go-ethereum flushes on mismatch).
 */
export async function ensureVersion(
  db: Level,
  path: string | undefined,
  logger: Logger,
): Promise<void> {
  const want = encodeVarint(BigInt(DB_VERSION));
  const stored = await db.get(VERSION_KEY);
  if (stored !== undefined && equalBytes(stored, want)) return;
  if (stored !== undefined || !(await isEmpty(db))) {
    const found =
      stored === undefined ? 'missing' : String(decodeVarint(stored) ?? bytesToHex(stored));
    logger.warn('node database version mismatch, flushing', {
      path: path ?? ':memory:',
      found,
      expected: DB_VERSION,
    });
    await db.clear();
  }
  await db.put(VERSION_KEY, want);
}

async function isEmpty(db: Level): Promise<boolean> {
  const it = db.keys({ limit: 1 });
  try {
    return (await it.next()) === undefined;
  } finally {
    await it.close();
  }
}

function lockedError(path: string, cause: unknown): NodeDatabaseError {
  return new NodeDatabaseError('LOCKED', `node database: ${path} is in use by another process`, {
    cause,
  });
}
