import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listItems, readRoot } from '@ethp2p/base/rlp';
import { waitFor } from '@ethp2p/base/testing';
import type { MemoryChain } from '@ethp2p/chain';
import type { ChainReader } from '@ethp2p/eth';
import { serveReceipts } from '@ethp2p/eth/chain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listRoot } from '../../../chain/src/block-validation.ts';
import { openChainFiles } from '../../src/node/chain.ts';
import type { FullNodeOptions } from '../../src/node/config.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import type { Syncer } from '../../src/sync/syncer.ts';
import {
  type ChainFilesOnDisk,
  loadChain,
  loopbackNode,
  tempDir,
  writeChain,
} from '../node/helpers.ts';

const BLOCKS = 8;
let dir: string;
let files: ChainFilesOnDisk;
/** The generated chain in memory: the initial `chain` option (replaced by the opened one). */
let genesisChain: MemoryChain;
const nodes: FullNode[] = [];
let count = 0;

beforeAll(async () => {
  dir = await tempDir('ethp2p-executed-sync-');
  files = await writeChain(dir, BLOCKS);
  genesisChain = await loadChain({ genesisPath: files.genesisPath, chainPath: files.chainPath });
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A node on a persistent, executing chain in `datadir`, seeded with the chain.rlp when `seed`. */
async function start(
  datadir: string,
  seed: boolean,
  options: Partial<FullNodeOptions> = {},
): Promise<FullNode> {
  const node = loopbackNode({
    datadir,
    discovery: false,
    chain: genesisChain,
    openChain: (path) =>
      openChainFiles({
        genesisPath: files.genesisPath,
        ...(seed ? { chainPath: files.chainPath } : {}),
        path,
      }),
    ...options,
  });
  nodes.push(node);
  await node.start();
  return node;
}

function reachedHead(node: FullNode, number: bigint): Promise<void> {
  const syncer = node.syncer as Syncer;
  return waitFor(() => node.chain.head().number >= number, {
    on: { emitters: [syncer.events], events: ['head:updated'] },
    what: `head ${number}`,
    signal: AbortSignal.timeout(60_000),
  });
}

/** The receipts root of a block's receipts as served at eth/68 (geth `types.DeriveSha`). */
function receiptsRoot(chain: ChainReader, hash: Uint8Array): Promise<Uint8Array> {
  const served = serveReceipts(chain, [hash], { version: 68 }).receipts[0];
  if (served === undefined) throw new Error('no receipts served');
  const items = listItems(readRoot(served, 'receipts'), 'receipts');
  // A typed receipt is served wrapped in a byte string, a legacy one as its list.
  return listRoot(items.map((item) => (item.list ? item.raw : item.payload)));
}

/** Every block of `follower` equals `seed`'s, and its receipts hash to its receipts root. */
async function expectSameExecutedChain(seed: ChainReader, follower: ChainReader): Promise<void> {
  expect(follower.head().hash).toEqual(seed.head().hash);
  for (let n = 0n; n <= BigInt(BLOCKS); n++) {
    const header = seed.headerByNumber(n);
    if (header === undefined) throw new Error(`seed has no block ${n}`);
    const got = follower.headerByNumber(n);
    expect(got?.hash).toEqual(header.hash);
    expect(follower.bodyByHash(header.hash)).toEqual(seed.bodyByHash(header.hash));
    expect(follower.receiptsByHash(header.hash)).toEqual(seed.receiptsByHash(header.hash));
    if (n > 0n) {
      expect(follower.receiptsByHash(header.hash)).toBeDefined();
      expect(await receiptsRoot(follower, header.hash)).toEqual(header.receiptsRoot);
    }
  }
}

describe('sync of an executed chain', () => {
  it.each([
    { versions: undefined, name: 'eth/70 or later', atLeast: 70, atMost: Number.POSITIVE_INFINITY },
    { versions: [68], name: 'eth/68 from a 68-only seed', atLeast: 68, atMost: 68 },
  ])(
    'an empty node executes every block to the seed head over $name; a restart keeps it',
    async ({ versions, atLeast, atMost }) => {
      const seed = await start(join(dir, `n${count++}`), true, {
        noDial: true,
        ...(versions === undefined ? {} : { ethVersions: versions }),
      });
      expect(seed.chain.head().number).toBe(BigInt(BLOCKS));
      const datadir = join(dir, `n${count++}`);
      const follower = await start(datadir, false, { staticNodes: [seed.self()] });
      expect(follower.chain.head().number).toBe(0n);
      await reachedHead(follower, BigInt(BLOCKS));
      const version = [...follower.peerSet][0]?.version ?? 0;
      expect(version).toBeGreaterThanOrEqual(atLeast);
      expect(version).toBeLessThanOrEqual(atMost);
      await expectSameExecutedChain(seed.chain, follower.chain);
      const head = follower.chain.head().hash;

      // Restarted alone on the same datadir, the follower keeps what it executed.
      await seed.stop();
      await follower.stop();
      const restarted = await start(datadir, false, { noDial: true });
      expect(restarted.chain.head().number).toBe(BigInt(BLOCKS));
      expect(restarted.chain.head().hash).toEqual(head);
      const last = restarted.chain.head().hash;
      expect(await receiptsRoot(restarted.chain, last)).toEqual(
        restarted.chain.head().receiptsRoot,
      );
    },
  );
});
