/**
 * Node key files: the node's secp256k1 private key as 64 hex characters, the format of
 * go-ethereum's `nodekey` (`crypto.LoadECDSA`/`SaveECDSA`), so a datadir's key works in both.
 * @module
 */
import { open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { bytesToHex, generatePrivateKey, hexToBytes, isValidPrivateKey } from '@ethp2p/crypto';
import { NodeKeyError } from './errors.ts';

/** Hex characters in a key file; a trailing `\n` or `\r\n` is allowed after them (geth). */
const KEY_HEX_CHARS = 64;
/** Bytes read from a key file at most: the key, a line end, and one more to detect excess. */
const KEY_FILE_READ_LIMIT = KEY_HEX_CHARS + 3;

/**
 * Reads a node key file.
 * @throws {NodeKeyError} NOT_FOUND, INVALID_KEY (wrong size, not hex, zero or ≥ n) or IO
 */
export async function loadNodeKey(path: string): Promise<Uint8Array> {
  const text = await readHead(path);
  const hex = text.endsWith('\r\n')
    ? text.slice(0, -2)
    : text.endsWith('\n')
      ? text.slice(0, -1)
      : text;
  if (hex.length !== KEY_HEX_CHARS || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new NodeKeyError(
      'INVALID_KEY',
      path,
      `node key ${path}: expected ${KEY_HEX_CHARS} hex characters`,
    );
  }
  const key = hexToBytes(hex);
  if (!isValidPrivateKey(key)) {
    throw new NodeKeyError(
      'INVALID_KEY',
      path,
      `node key ${path}: not a valid secp256k1 private key`,
    );
  }
  return key;
}

/**
 * Writes `key` as 64 hex characters with mode 0600, replacing the file atomically (a temporary
 * file is renamed over it), so a crash never leaves a half-written key.
 * @throws {NodeKeyError} IO
 */
export async function saveNodeKey(path: string, key: Uint8Array): Promise<void> {
  if (!isValidPrivateKey(key)) throw new TypeError('key: expected a valid 32-byte private key');
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, bytesToHex(key), { mode: 0o600, flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new NodeKeyError('IO', path, `node key ${path}: cannot write`, { cause: err });
  }
}

/**
 * Loads the key at `path`, or creates and saves a new one if there is no file. An existing file
 * that is invalid is an error, never silently replaced: the node's identity would change.
 * @throws {NodeKeyError} INVALID_KEY or IO
 */
export async function loadOrCreateNodeKey(
  path: string,
): Promise<{ key: Uint8Array; created: boolean }> {
  await removeStaleTemps(path);
  try {
    return { key: await loadNodeKey(path), created: false };
  } catch (err) {
    if (!(err instanceof NodeKeyError) || err.code !== 'NOT_FOUND') throw err;
  }
  const key = generatePrivateKey();
  await saveNodeKey(path, key);
  return { key, created: true };
}

/**
 * Removes temporary files that {@link saveNodeKey} left behind when its process was killed between
 * the write and the rename (`<key>.<pid>.tmp` of a process that no longer runs). Best effort: a file
 * that cannot be listed or removed is left alone.
 */
async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isSafeInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

/** Whether a process with this ID runs (or exists but is not ours to signal). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads at most {@link KEY_FILE_READ_LIMIT} bytes: key files are untrusted and may be huge. */
async function readHead(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new NodeKeyError(missing ? 'NOT_FOUND' : 'IO', path, `node key ${path}: cannot open`, {
      cause: err,
    });
  }
  try {
    const buf = Buffer.alloc(KEY_FILE_READ_LIMIT);
    const { bytesRead } = await handle.read(buf, 0, KEY_FILE_READ_LIMIT, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } catch (err) {
    throw new NodeKeyError('IO', path, `node key ${path}: cannot read`, { cause: err });
  } finally {
    await handle.close();
  }
}
