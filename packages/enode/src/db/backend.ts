/**
 * The LevelDB stores behind a node database: `classic-level` on disk, `memory-level` in memory,
 * or a test's stand-in, and how their failures are told apart.
 * @module
 */
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

/** The store behind a node database: binary keys and values. */
export type Level = AbstractLevel<Uint8Array | string | Buffer, Uint8Array, Uint8Array>;

/** The encodings every store is created with. */
export const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * Creates and repairs the on-disk stores of node databases. The default is `classic-level`; tests
 * inject stand-ins that fail the way a full or read-only disk makes LevelDB fail.
 */
export interface LevelBackend {
  /** A new, not yet opened store at `path` (opening creates it if missing). */
  create(path: string): Level;
  /** Rebuilds the store at `path` in place from what is readable (LevelDB `RepairDB`). */
  repair(path: string): Promise<void>;
}

/** `classic-level`: LevelDB on disk. */
export const CLASSIC_LEVEL_BACKEND: LevelBackend = {
  create: (path) => new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS),
  repair: (path) => ClassicLevel.repair(path),
};

/** A new, not yet opened in-memory store. */
export function memoryStore(): Level {
  return new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS);
}

/**
 * What a store failure means for the data:
 * - `locked`: another handle holds the store (`LEVEL_LOCKED`, LevelDB's "IO error: lock ...",
 *   EAGAIN on the LOCK file);
 * - `corrupt`: the files are damaged (`LEVEL_CORRUPTION`: LevelDB `Status::Corruption`, e.g. a
 *   bad block checksum, a truncated or garbage MANIFEST, missing table files), or one of them is
 *   missing (`LEVEL_IO_ERROR` "No such file or directory": the bundled LevelDB reports CURRENT
 *   naming a missing MANIFEST this way; the directory itself exists, as opening creates it);
 * - `unavailable`: anything else, above all the environment failing rather than the data
 *   (`LEVEL_IO_ERROR` for ENOSPC, EACCES, EROFS, EPERM, EIO; an errno from creating the
 *   directory; an error without a code). The data may be intact: it must not be touched.
 */
export type StoreFailure = 'locked' | 'corrupt' | 'unavailable';

/** LevelDB's text for ENOENT on a file of the store (`env_posix.cc` `PosixError`). */
const MISSING_FILE = /: No such file or directory$/;

/** Classifies `err` by the level error codes along its cause chain (see {@link StoreFailure}). */
export function classifyFailure(err: unknown): StoreFailure {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (code === 'LEVEL_LOCKED') return 'locked';
    if (code === 'LEVEL_CORRUPTION') return 'corrupt';
    if (code === 'LEVEL_IO_ERROR' && MISSING_FILE.test(e.message)) return 'corrupt';
    e = e.cause;
  }
  return 'unavailable';
}

/** The innermost message of `err`'s cause chain, with its errno or level code if it has one. */
export function rootCause(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && e.cause instanceof Error && depth < 8; depth++) {
    e = e.cause;
  }
  if (!(e instanceof Error)) return String(e);
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' && !e.message.includes(code)
    ? `${code}: ${e.message}`
    : e.message;
}

/** A short description of an error for log fields, including the level error code chain. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as Error & { code?: unknown }).code;
  const head = typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  return err.cause === undefined ? head : `${head} (${describe(err.cause)})`;
}
