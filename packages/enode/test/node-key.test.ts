import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedError } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeKeyError } from '../src/errors.ts';
import { loadNodeKey, loadOrCreateNodeKey, saveNodeKey } from '../src/node-key.ts';

// keyA from go-ethereum p2p/rlpx/rlpx_test.go, as geth writes it into a `nodekey` file.
const KEY_A_HEX = '49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee';
const N_HEX = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'; // the curve order

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-nodekey-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectKeyError(promise: Promise<unknown>, code: NodeKeyError['code']) {
  await rejectedError(promise, NodeKeyError, code);
}

describe('node key files', () => {
  it('reads a geth nodekey file, with or without a line end', async () => {
    for (const ending of ['', '\n', '\r\n']) {
      const path = join(dir, `k${ending.length}`);
      await writeFile(path, KEY_A_HEX + ending);
      expect(bytesToHex(await loadNodeKey(path))).toBe(KEY_A_HEX);
    }
  });

  it('writes 64 hex characters with mode 0600 and reads them back', async () => {
    const key = generatePrivateKey();
    const path = join(dir, 'nodekey');
    await saveNodeKey(path, key);
    expect(await readFile(path, 'utf8')).toBe(bytesToHex(key));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadNodeKey(path)).toEqual(key);
  });

  it('creates a key once and reuses it', async () => {
    const path = join(dir, 'nodekey');
    const first = await loadOrCreateNodeKey(path);
    const second = await loadOrCreateNodeKey(path);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.key).toEqual(first.key);
  });

  it.each([
    ['too short', KEY_A_HEX.slice(2)],
    ['too long', `${KEY_A_HEX}00`],
    ['not hex', `${KEY_A_HEX.slice(0, 62)}zz`],
    ['two line ends', `${KEY_A_HEX}\n\n`],
    ['zero', '0'.repeat(64)],
    ['the curve order', N_HEX],
    ['empty', ''],
  ])('rejects a key file that is %s', async (_name, content) => {
    const path = join(dir, 'bad');
    await writeFile(path, content);
    await expectKeyError(loadNodeKey(path), 'INVALID_KEY');
    // An invalid existing key is never replaced: the node's identity would silently change.
    await expectKeyError(loadOrCreateNodeKey(path), 'INVALID_KEY');
    expect(await readFile(path, 'utf8')).toBe(content);
  });

  it('removes the temporary files of a killed writer, and only those', async () => {
    const path = join(dir, 'nodekey');
    // A process that has exited: its pid names a temporary file nobody will rename.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const names = [
      `nodekey.${dead}.tmp`, // stale: removed
      `nodekey.${process.ppid}.tmp`, // a running writer: kept
      'nodekey.backup.tmp', // not ours: kept
      'other.1.tmp', // another file's: kept
    ];
    for (const name of names) await writeFile(join(dir, name), 'x');
    const { created } = await loadOrCreateNodeKey(path);
    expect(created).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['nodekey', ...names.slice(1)].sort());
  });

  it('rejects a huge file', async () => {
    const path = join(dir, 'huge');
    await writeFile(path, Buffer.alloc(8 * 1024 * 1024, 0x61));
    await expectKeyError(loadNodeKey(path), 'INVALID_KEY');
  });

  it('reports a missing file and a directory in the way', async () => {
    await expectKeyError(loadNodeKey(join(dir, 'absent')), 'NOT_FOUND');
    await expectKeyError(loadNodeKey(dir), 'IO');
    await expectKeyError(saveNodeKey(join(dir, 'no', 'such', 'dir'), generatePrivateKey()), 'IO');
  });
});
