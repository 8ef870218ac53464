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
import { assertBuilt, type Ethp2p, e2eDir, enodeOf, ethp2p, nodeArgs, stopAll } from './helpers.ts';

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

/** A started loopback node without discovery, and the lock file of its datadir. */
async function startedNode(extra: readonly string[] = []): Promise<{ p: Ethp2p; lock: string }> {
  const dir = await e2eDir();
  const { genesisPath } = await writeChain(dir, 2);
  const datadir = join(dir, 'n');
  const p = ethp2p(nodeArgs(datadir, genesisPath, ['--nodiscover', ...extra]));
  await enodeOf(p);
  const lock = join(datadir, 'LOCK');
  expect(existsSync(lock)).toBe(true);
  return { p, lock };
}

/** Waits until stderr contains `text` (the process must still run then). */
async function stderrSays(p: Ethp2p, text: string): Promise<void> {
  await p.waitUntil(() => (p.stderr.includes(text) ? true : undefined), 20_000, text);
  expect(p.running).toBe(true);
}

/** SIGTERM: exit 0 and the lock is gone. */
async function stopsCleanly(p: Ethp2p, lock: string): Promise<void> {
  expect(await p.stop('SIGTERM')).toBe(0);
  expect(existsSync(lock)).toBe(false);
}

describe('ethp2p node whose output goes away', () => {
  it('keeps running when stdout closes, says so on stderr, and stops cleanly', async () => {
    const { p, lock } = await startedNode();
    // Like `head -2` exiting: the read end of the pipe closes; the next status line fails.
    p.child.stdout?.destroy();
    await stderrSays(p, 'stdout failed (EPIPE)');
    await stopsCleanly(p, lock);
    expect(p.stderr).not.toContain('Unhandled');
  }, 60_000);

  it('stops cleanly when stderr has closed before its shutdown log line', async () => {
    const { p, lock } = await startedNode();
    p.child.stderr?.destroy();
    // SIGTERM logs "shutting down" to the closed stderr, then prints "stopped" on stdout.
    await stopsCleanly(p, lock);
    expect(p.stdout).toMatch(/"msg":"stopped"/);
  }, 60_000);

  it('logs to stderr when --log.file fills the disk, keeps running and stops cleanly', async () => {
    // /dev/full fails every write with ENOSPC, as a full disk does.
    const { p, lock } = await startedNode(['--log.file', '/dev/full']);
    await stderrSays(p, '/dev/full: write failed (ENOSPC)');
    await stopsCleanly(p, lock);
    expect(p.stderr).toMatch(/"msg":"shutting down/);
  }, 60_000);
});
