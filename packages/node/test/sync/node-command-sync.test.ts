import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemoryChain } from '@ethp2p/chain';
import { bytesToHex } from '@ethp2p/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { testIo } from '../cli/helpers/run.ts';
import { type ChainFilesOnDisk, loadChain, tempDir, writeChain } from '../node/helpers.ts';

const BLOCKS = 40;
let dir: string;
let files: ChainFilesOnDisk;
let chain: MemoryChain;

beforeAll(async () => {
  dir = await tempDir('ethp2p-sync-cli-');
  files = await writeChain(dir, BLOCKS);
  chain = await loadChain(files);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A node on loopback with OS-picked ports, no discovery, JSON status lines every 50 ms. */
const LOOPBACK_FLAGS =
  '--listen.ip 127.0.0.1 --port 0 --nat extip:127.0.0.1 --nodiscover --log.format json --status.interval 50ms';

/** Starts `ethp2p node` in-process with JSON logs; resolves once it printed its enode URL. */
async function startNode(args: readonly string[]) {
  const controller = new AbortController();
  const io = testIo({}, controller.signal);
  const exit = main(['node', ...args, ...LOOPBACK_FLAGS.split(' ')], io);
  await io.stdout.waitFor((t) => t.includes('"enode"'), AbortSignal.timeout(10_000));
  const first = JSON.parse(io.stdout.lines[0] as string) as { enode: string };
  return { io, exit, enode: first.enode, stop: () => controller.abort(new Error('SIGINT')) };
}

describe('ethp2p node --genesis with a --static peer that has the chain', () => {
  it('syncs to its head and shows it in the JSON status line', async () => {
    const seed = await startNode([
      '--genesis',
      files.genesisPath,
      '--chain',
      files.chainPath,
      '--datadir',
      join(dir, 'seed'),
    ]);
    const follower = await startNode([
      '--genesis',
      files.genesisPath,
      '--datadir',
      join(dir, 'follower'),
      '--static',
      seed.enode,
    ]);
    const hash = `0x${bytesToHex(chain.head().hash)}`;
    try {
      await follower.io.stdout.waitFor(
        (t) => t.includes(`"head":{"number":${BLOCKS},"hash":"${hash}"}`),
        AbortSignal.timeout(20_000),
      );
      const line = follower.io.stdout.lines.find((l) => l.includes(hash)) ?? '';
      const status = JSON.parse(line) as { msg: string; head: { number: number; hash: string } };
      expect(status.msg).toBe('status');
      expect(status.head).toEqual({ number: BLOCKS, hash });
    } finally {
      follower.stop();
      seed.stop();
    }
    expect(await follower.exit).toBe(0);
    expect(await seed.exit).toBe(0);
  });
});
