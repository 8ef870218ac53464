/**
 * Opening the underlying LevelDB store: in memory (`memory-level`) or on disk (`classic-level`),
 * the single-process lock, corruption recovery and the schema version check.
 * @module
 */
import { rename, stat } from 'node:fs/promises';
import type { Logger } from '@ethp2p/base';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { DB_VERSION } from './constants.ts';
import { NodeDatabaseError } from './errors.ts';
import { VERSION_KEY } from './keys.ts';
import { decodeVarint, encodeVarint } from './varint.ts';

/** The store behind a node database: binary keys and values. */
export type Level = AbstractLevel<Uint8Array | string | Buffer, Uint8Array, Uint8Array>;

const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;
/** Keys read per step when scanning the whole store for corruption. */
const SCAN_BATCH = 1000;

type Attempt = { ok: true; db: Level } | { ok: false; error: unknown };

/** Opens an in-memory store, or the store at `path` with recovery (see {@link openPersistent}). */
export async function openStore(path: string | undefined, logger: Logger): Promise<Level> {
  if (path === undefined) {
    const db: Level = new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS);
    await db.open();
    return db;
  }
  return openPersistent(path, logger);
}

/**
 * Opens the LevelDB store at `path`, creating it if missing. A store that fails to open or to
 * scan is repaired (`ClassicLevel.repair`); if it still fails it is moved aside to
 * `<path>.corrupt[.N]` and recreated empty. Each step is logged as a warning naming the path.
 * @throws NodeDatabaseError `LOCKED` if another process holds the store, `OPEN_FAILED` if even an
 * empty store cannot be created at `path`.
 */
export async function openPersistent(path: string, logger: Logger): Promise<Level> {
  const first = await attempt(path);
  if (first.ok) return first.db;
  logger.warn('node database damaged, repairing', { path, error: describe(first.error) });
  try {
    await ClassicLevel.repair(path);
  } catch (err) {
    if (isLocked(err)) throw lockedError(path, err);
    logger.warn('node database repair failed', { path, error: describe(err) });
  }
  const second = await attempt(path);
  if (second.ok) {
    logger.warn('node database repaired, some entries may be lost', { path });
    return second.db;
  }
  const movedTo = await moveAside(path);
  logger.warn('node database unrecoverable, recreated empty', {
    path,
    movedTo,
    error: describe(second.error),
  });
  const third = await attempt(path);
  if (third.ok) return third.db;
  throw new NodeDatabaseError('OPEN_FAILED', `node database: cannot open ${path}`, {
    cause: third.error,
  });
}

/** Opens and fully scans the store; the scan surfaces damaged table files that open misses. */
async function attempt(path: string): Promise<Attempt> {
  const db: Level = new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
  try {
    await db.open();
  } catch (err) {
    if (isLocked(err)) throw lockedError(path, err);
    return { ok: false, error: err };
  }
  try {
    await scan(db);
    return { ok: true, db };
  } catch (err) {
    await db.close().catch(() => undefined);
    return { ok: false, error: err };
  }
}

async function scan(db: Level): Promise<void> {
  const it = db.keys();
  try {
    while ((await it.nextv(SCAN_BATCH)).length > 0) {
      // reading is the check
    }
  } finally {
    await it.close();
  }
}

/** Most `<path>.corrupt.N` names tried before giving up. */
const MAX_ASIDE_NAMES = 100;

/** Renames `path` to the first free `<path>.corrupt[.N]`; never deletes anything. */
async function moveAside(path: string): Promise<string> {
  for (let i = 0; i < MAX_ASIDE_NAMES; i++) {
    const target = i === 0 ? `${path}.corrupt` : `${path}.corrupt.${i}`;
    if (await exists(target)) continue;
    try {
      await rename(path, target);
      return target;
    } catch (err) {
      throw new NodeDatabaseError('OPEN_FAILED', `node database: cannot move ${path} aside`, {
        cause: err,
      });
    }
  }
  throw new NodeDatabaseError('OPEN_FAILED', `node database: too many ${path}.corrupt.N copies`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
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

function isLocked(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    if ((e as Error & { code?: unknown }).code === 'LEVEL_LOCKED') return true;
    e = e.cause;
  }
  return false;
}

function lockedError(path: string, cause: unknown): NodeDatabaseError {
  return new NodeDatabaseError('LOCKED', `node database: ${path} is in use by another process`, {
    cause,
  });
}

/** A short description of an error for log fields, including the level error code chain. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as Error & { code?: unknown }).code;
  const head = typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  return err.cause === undefined ? head : `${head} (${describe(err.cause)})`;
}
