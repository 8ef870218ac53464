/**
 * The datadir (ARCHITECTURE.md "Persistence"): `nodekey` (hex, mode 0600, created once and
 * reused) and `nodes/` (the node database), guarded by the `LOCK` file.
 * @module
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateNodeKey, NodeKeyError } from '@ethp2p/enode';
import { NodeError } from './errors.ts';

/** The node key file's name inside the datadir. */
export const NODEKEY_FILE = 'nodekey';
/** The node database's directory inside the datadir. */
export const NODES_DIR = 'nodes';

/** The chain's LevelDB store in a datadir (geth's is `geth/chaindata`). */
export const CHAINDATA_DIR = 'chaindata';

/**
 * The default datadir of a network: `~/.ethp2p/<network>`.
 * @example `defaultDatadir('sepolia') // '/home/me/.ethp2p/sepolia'`
 */
export function defaultDatadir(network: string, home: string = homedir()): string {
  return join(home, '.ethp2p', network);
}

/**
 * Creates the datadir (and its parents) with mode 0700 if it does not exist. Returns the first
 * directory it created (the datadir or one of its parents), or undefined if the datadir existed.
 * @throws {NodeError} `DATADIR` when it cannot be created
 */
export async function ensureDatadir(datadir: string): Promise<string | undefined> {
  try {
    return await mkdir(datadir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new NodeError(
      'DATADIR',
      `cannot create datadir ${datadir} (${reason}); pick another with --datadir`,
      { cause: err },
    );
  }
}

/**
 * The datadir's node key, created (mode 0600) on first use.
 * @throws {NodeError} `DATADIR` when the file is invalid or cannot be read or written
 */
export async function datadirNodeKey(
  datadir: string,
): Promise<{ key: Uint8Array; created: boolean }> {
  const path = join(datadir, NODEKEY_FILE);
  try {
    return await loadOrCreateNodeKey(path);
  } catch (err) {
    if (!(err instanceof NodeKeyError)) throw err;
    const fix =
      err.code === 'INVALID_KEY'
        ? 'restore it or delete it to get a new identity'
        : 'check the permissions of --datadir';
    throw new NodeError('DATADIR', `${err.message}; ${fix}`, { cause: err });
  }
}

/**
 * What a start adds to a datadir, so that a failed start can take it away again and leave the
 * disk as it found it: a directory it created (the datadir or a parent), else the `nodekey` and
 * `nodes/` it created inside an existing datadir.
 */
export class DatadirChanges {
  readonly #created: string[] = [];

  /** `path` was created by this start (`undefined`: nothing was). */
  created(path: string | undefined): void {
    if (path !== undefined) this.#created.push(path);
  }

  /** Runs `create`, noting `path` as created (even if `create` fails) unless it existed. */
  async create<T>(path: string, create: () => Promise<T>): Promise<T> {
    const existed = await stat(path).then(
      () => true,
      () => false,
    );
    if (!existed) this.#created.push(path);
    return create();
  }

  /** Removes what was created, newest first. */
  async undo(): Promise<void> {
    for (const path of this.#created.splice(0).reverse()) {
      await rm(path, { recursive: true, force: true });
    }
  }
}
