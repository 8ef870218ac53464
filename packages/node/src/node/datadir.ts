/**
 * The datadir (ARCHITECTURE.md "Persistence"): `nodekey` (hex, mode 0600, created once and
 * reused) and `nodes/` (the node database), guarded by the `LOCK` file.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateNodeKey, NodeKeyError } from '@ethp2p/enode';
import { NodeError } from './errors.ts';

/** The node key file's name inside the datadir. */
export const NODEKEY_FILE = 'nodekey';
/** The node database's directory inside the datadir. */
export const NODES_DIR = 'nodes';

/**
 * The default datadir of a network: `~/.ethp2p/<network>`.
 * @example `defaultDatadir('sepolia') // '/home/me/.ethp2p/sepolia'`
 */
export function defaultDatadir(network: string, home: string = homedir()): string {
  return join(home, '.ethp2p', network);
}

/**
 * Creates the datadir (and its parents) with mode 0700 if it does not exist.
 * @throws {NodeError} `DATADIR` when it cannot be created
 */
export async function ensureDatadir(datadir: string): Promise<void> {
  try {
    await mkdir(datadir, { recursive: true, mode: 0o700 });
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
