/**
 * `ethp2p node | head -2`: the reader of stdout (or stderr) goes away while the node runs, or the
 * disk under `--log.file` is full. The node drops that stream (a failed log file: logs go to
 * stderr) and keeps running, then stops cleanly on SIGTERM (exit 0) and leaves no LOCK behind.
 * Before, the next write crashed it with an unhandled `write EPIPE` (or ENOSPC).
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeChain } from '../node/helpers.ts';
import { assertBuilt, e2eDir, enodeOf, ethp2p, nodeArgs, stopAll } from './helpers.ts';

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

describe('ethp2p node whose output pipe closes', () => {
  it('keeps running when stdout closes, says so on stderr, and stops cleanly', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const datadir = join(dir, 'n');
    const p = ethp2p(nodeArgs(datadir, genesisPath, ['--nodiscover']));
    await enodeOf(p);
    expect(existsSync(join(datadir, 'LOCK'))).toBe(true);
    // Like `head -2` exiting: the read end of the pipe closes; the next status line fails.
    p.child.stdout?.destroy();
    await p.waitUntil(
      () => (p.stderr.includes('stdout failed (EPIPE)') ? true : undefined),
      20_000,
      'the notice that stdout failed',
    );
    expect(p.running).toBe(true);
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(datadir, 'LOCK'))).toBe(false);
    expect(p.stderr).not.toContain('Unhandled');
  }, 60_000);

  it('stops cleanly when stderr has closed before its shutdown log line', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const datadir = join(dir, 'n');
    const p = ethp2p(nodeArgs(datadir, genesisPath, ['--nodiscover']));
    await enodeOf(p);
    p.child.stderr?.destroy();
    // SIGTERM logs "shutting down" to the closed stderr, then prints "stopped" on stdout.
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(p.stdout).toMatch(/"msg":"stopped"/);
    expect(existsSync(join(datadir, 'LOCK'))).toBe(false);
  }, 60_000);
});

describe('ethp2p node whose --log.file fills the disk', () => {
  it('logs to stderr instead, keeps running and stops cleanly', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const datadir = join(dir, 'n');
    // /dev/full fails every write with ENOSPC, as a full disk does.
    const p = ethp2p(nodeArgs(datadir, genesisPath, ['--nodiscover', '--log.file', '/dev/full']));
    await enodeOf(p);
    await p.waitUntil(
      () => (p.stderr.includes('/dev/full: write failed (ENOSPC)') ? true : undefined),
      20_000,
      'the notice that the log file failed',
    );
    expect(p.running).toBe(true);
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(p.stderr).toMatch(/"msg":"shutting down/);
    expect(existsSync(join(datadir, 'LOCK'))).toBe(false);
  }, 60_000);
});
