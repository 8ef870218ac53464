import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeBytes, encodeList, listItems, readRoot } from '@ethp2p/base/rlp';
import { waitFor } from '@ethp2p/base/testing';
import { HEADER_FIELD_INDEX, type MemoryChain } from '@ethp2p/chain';
import { concatBytes } from '@ethp2p/crypto';
import type { ChainReader } from '@ethp2p/eth';
import { serveReceipts } from '@ethp2p/eth/chain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listRoot } from '../../../chain/src/block-validation.ts';
import { loadChainFiles, openChainFiles } from '../../src/node/chain.ts';
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
    { versions: [70], name: 'eth/70 from a 70-only seed', atLeast: 70, atMost: 70 },
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

  it('drops a peer serving a block that does not execute; the block is not stored; a restart keeps the chain', async () => {
    // Blocks 1-4, then block 5 with a receipts root execution does not give (it still links).
    const blocks = [1n, 2n, 3n, 4n, 5n].map((n) => blockRlp(genesisChain, n));
    const fields = listItems(
      readRoot(genesisChain.headerByNumber(5n)?.rlp ?? new Uint8Array(0), 'header'),
      'header',
    ).map((f) => f.raw);
    fields[HEADER_FIELD_INDEX.receiptsRoot] = encodeBytes(new Uint8Array(32).fill(7));
    const body = listItems(readRoot(blocks[4] as Uint8Array, 'block'), 'block')
      .slice(1)
      .map((i) => i.raw);
    blocks[4] = encodeList([encodeList(fields), ...body]);
    const tampered = await loadChainFiles({ genesisPath: files.genesisPath });
    tampered.importRlp(concatBytes(...blocks));
    const bad = tampered.head().hash;
    expect(tampered.head().number).toBe(5n);
    const seed = loopbackNode({
      datadir: join(dir, `n${count++}`),
      discovery: false,
      chain: tampered,
      noDial: true,
    });
    nodes.push(seed);
    await seed.start();
    const datadir = join(dir, `n${count++}`);
    const follower = await start(datadir, false, { staticNodes: [seed.self()] });
    const syncer = follower.syncer as Syncer;
    const why = await new Promise<string>((resolve) =>
      syncer.events.once('peer:dropped', ({ why: w }) => resolve(w)),
    );
    expect(why).toMatch(/receiptsRoot: execution gives/);
    expect(follower.server?.reputation.isBannedId(seed.self().id)).toBe(true);
    expect(follower.chain.head().number).toBe(4n);
    expect(follower.chain.headerByHash(bad)).toBeUndefined();
    expect(follower.chain.receiptsByHash(bad)).toBeUndefined();
    await seed.stop();
    await follower.stop();
    const restarted = await start(datadir, false, { noDial: true });
    expect(restarted.chain.head().number).toBe(4n);
    expect(restarted.chain.head().hash).toEqual(genesisChain.headerByNumber(4n)?.hash);
    expect(restarted.chain.headerByHash(bad)).toBeUndefined();
  });
});

/** Block `n` of `chain` as a block RLP: header, then the body's lists. */
function blockRlp(chain: ChainReader, n: bigint): Uint8Array {
  const header = chain.headerByNumber(n);
  const body = header === undefined ? undefined : chain.bodyByHash(header.hash);
  if (header === undefined || body === undefined) throw new Error(`no block ${n}`);
  return encodeList([header.rlp, ...listItems(readRoot(body, 'body'), 'body').map((i) => i.raw)]);
}
