/**
 * A `classic-level` backend that fails where a test says, with the errors `classic-level` gives
 * for a full disk, a read-only file system, missing permissions or a held lock, so those can be
 * tested without filling a disk.
 * @module
 */
import { ClassicLevel } from 'classic-level';
import { ENCODINGS, type Level, type LevelBackend } from '../../../src/db/backend.ts';

/** Where the store fails; each returns the error to throw (`undefined`: work normally). */
export interface Failures {
  open?: (path: string) => Error | undefined;
  scan?: (path: string) => Error | undefined;
  repair?: (path: string) => Error | undefined;
}

/** A `classic-level` binding error: `IO error: <file>: <strerror>` with code `LEVEL_IO_ERROR`. */
export function levelIoError(file: string, strerror: string): Error {
  return Object.assign(new Error(`IO error: ${file}: ${strerror}`), { code: 'LEVEL_IO_ERROR' });
}

/** What `fs.mkdir` throws (classic-level creates the directory first). */
export function errnoError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: failed, mkdir '${path}'`), { code, syscall: 'mkdir' });
}

/** As abstract-level reports a failed open: `LEVEL_DATABASE_NOT_OPEN` with the cause. */
function notOpen(cause: Error): Error {
  return Object.assign(new Error('Database failed to open', { cause }), {
    code: 'LEVEL_DATABASE_NOT_OPEN',
  });
}

/** The backend, and how often `repair` was called. */
export function failingBackend(failures: Failures): LevelBackend & { repairs: number } {
  const backend = {
    repairs: 0,
    create(path: string): Level {
      const db: Level = new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
      const open = db.open.bind(db);
      db.open = (async () => {
        const err = failures.open?.(path);
        if (err !== undefined) throw notOpen(err);
        return open();
      }) as Level['open'];
      const keys = db.keys.bind(db);
      db.keys = ((options: Parameters<Level['keys']>[0] = {}) => {
        const err = failures.scan?.(path);
        if (err === undefined) return keys(options);
        return {
          nextv: () => Promise.reject(err),
          next: () => Promise.reject(err),
          close: () => Promise.resolve(),
        };
      }) as Level['keys'];
      return db;
    },
    async repair(path: string): Promise<void> {
      backend.repairs++;
      const err = failures.repair?.(path);
      if (err !== undefined) throw err;
      await ClassicLevel.repair(path);
    },
  };
  return backend;
}

/** A backend whose stores fail every write with ENOSPC while `full` is set (reads work). */
export function fullDiskBackend(): LevelBackend & { full: boolean } {
  const backend = {
    full: false,
    create(path: string): Level {
      const db: Level = new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
      const enospc = (): Error => levelIoError(`${path}/000012.log`, 'No space left on device');
      for (const method of ['put', 'del', 'batch', 'clear'] as const) {
        const real = (db[method] as (...args: unknown[]) => Promise<unknown>).bind(db);
        Object.assign(db, {
          [method]: (...args: unknown[]) =>
            backend.full ? Promise.reject(enospc()) : real(...args),
        });
      }
      return db;
    },
    repair: (path: string) => ClassicLevel.repair(path),
  };
  return backend;
}
