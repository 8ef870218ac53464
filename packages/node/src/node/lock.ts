/**
 * The datadir lock: a `LOCK` file created exclusively with the owner's pid in it, taken before
 * anything else is written to the datadir, so two nodes never share a node key or a database.
 * A lock left by a process that no longer runs is taken over.
 * @module
 */
import { link, readFile, realpath, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeError } from './errors.ts';

/** The lock file's name inside the datadir. */
export const LOCK_FILE = 'LOCK';

/** Attempts to create the lock file; each failed one removed a stale lock first. */
const MAX_LOCK_ATTEMPTS = 3;

/** Datadirs (by real path) locked by this process: a second node in-process must not share one. */
const heldHere = new Set<string>();

/**
 * A held datadir lock. {@link DatadirLock.acquire} takes it; {@link DatadirLock.release} gives it
 * back (idempotent). The lock guards against other processes and against other nodes in this
 * process.
 * @example
 * ```ts
 * const lock = await DatadirLock.acquire('/home/me/.ethp2p/mainnet');
 * try { ... } finally { await lock.release(); }
 * ```
 */
export class DatadirLock {
  /** The lock file's path. */
  readonly path: string;
  readonly #key: string;
  #released = false;

  private constructor(path: string, key: string) {
    this.path = path;
    this.#key = key;
  }

  /**
   * Takes the lock of the existing directory `datadir`.
   * @throws {NodeError} `DATADIR_LOCKED` if a running process (this one included) holds it,
   *   `DATADIR` if the lock file cannot be created or read
   */
  static async acquire(datadir: string): Promise<DatadirLock> {
    const key = await realpath(datadir).catch(() => datadir);
    const path = join(datadir, LOCK_FILE);
    if (heldHere.has(key)) throw lockedError(datadir, process.pid);
    for (let attempt = 0; attempt < MAX_LOCK_ATTEMPTS; attempt++) {
      // Look before writing: a datadir held by a running node gets nothing written to it.
      const owner = await readOwner(path);
      if (owner !== undefined) {
        if (owner.pid !== undefined && owner.pid !== process.pid && isRunning(owner.pid)) {
          throw lockedError(datadir, owner.pid);
        }
        // Stale: its process is gone (or it holds no pid, or ours from an unclean stop).
        await unlink(path).catch((err: unknown) => {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw datadirError(path, err);
        });
      }
      if (await createExclusive(path)) {
        heldHere.add(key);
        return new DatadirLock(path, key);
      }
    }
    throw new NodeError(
      'DATADIR',
      `cannot lock datadir ${datadir}: ${path} keeps coming back; remove it or pick another --datadir`,
    );
  }

  /** Whether {@link DatadirLock.release} was called. */
  get released(): boolean {
    return this.#released;
  }

  /** Removes the lock file if it is still ours. Safe to call more than once. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    heldHere.delete(this.#key);
    if ((await readOwner(this.path))?.pid === process.pid) {
      await unlink(this.path).catch(() => undefined);
    }
  }
}

/**
 * Creates the lock file with our pid in one step (a temporary file hard-linked to the name), so
 * nobody ever reads a lock file without its pid; false if it exists.
 */
async function createExclusive(path: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, `${process.pid}\n`, { mode: 0o644 });
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw datadirError(path, err);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The lock file's pid (undefined when it holds none), or undefined if there is no lock file. */
async function readOwner(path: string): Promise<{ pid: number | undefined } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw datadirError(path, err);
  }
  const trimmed = text.trim();
  const pid = /^[0-9]{1,10}$/.test(trimmed) ? Number(trimmed) : 0;
  return { pid: pid > 0 ? pid : undefined };
}

/** Whether a process with `pid` exists (EPERM: it exists but belongs to someone else). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(datadir: string, pid: number): NodeError {
  return new NodeError(
    'DATADIR_LOCKED',
    `datadir ${datadir} is in use by another ethp2p (pid ${pid}); stop it or pick another --datadir`,
  );
}

function datadirError(path: string, err: unknown): NodeError {
  const reason = (err as NodeJS.ErrnoException).code ?? String(err);
  return new NodeError(
    'DATADIR',
    `cannot use ${path} (${reason}); check the permissions of --datadir or pick another`,
    { cause: err },
  );
}
