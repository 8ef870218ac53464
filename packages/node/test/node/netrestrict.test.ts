import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemoryChain } from '@ethp2p/chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChain, loopbackNode, tempDir, writeChain } from './helpers.ts';

let dir: string;
let chain: MemoryChain;

beforeAll(async () => {
  dir = await tempDir();
  chain = await loadChain(await writeChain(dir, 2));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FullNode netRestrict', () => {
  it('keeps discovery from adding a node outside it, as geth does', async () => {
    const a = loopbackNode({ datadir: join(dir, 'a'), chain, noDial: true });
    await a.start();
    const inside = loopbackNode({
      datadir: join(dir, 'inside'),
      chain,
      bootnodes: [a.self()],
      netRestrict: ['127.0.0.0/8'],
    });
    const outside = loopbackNode({
      datadir: join(dir, 'outside'),
      chain,
      bootnodes: [a.self()],
      netRestrict: ['10.0.0.0/8'],
    });
    try {
      await inside.start();
      await outside.start();
      await inside.discovery?.refresh();
      await outside.discovery?.refresh();
      expect(inside.discovery?.nodes().map((n) => n.enodeUrl())).toEqual([a.self().enodeUrl()]);
      expect(outside.discovery?.nodes()).toEqual([]);
    } finally {
      await outside.stop();
      await inside.stop();
      await a.stop();
    }
  });
});
