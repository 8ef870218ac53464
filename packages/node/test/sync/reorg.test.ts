/**
 * Reorgs: a round whose target is on another branch finds the common ancestor (a span request,
 * then binary search) and the chain switches to the target's branch once it is higher; two nodes
 * on loopback do the same, and the follower announces its new head.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { listItems, type RlpItem, readRoot } from '@ethp2p/base/rlp';
import { waitFor } from '@ethp2p/base/testing';
import { decodeHeader, MemoryChain, PersistentChain } from '@ethp2p/chain';
import { type ExecutedChain, generateExecutedChain } from '@ethp2p/chain/testing';
import { type ChainReader, type EthPeer, readGenesis } from '@ethp2p/eth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../../eth/test/helpers/chain-generator.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { type RoundContext, type RoundEnd, SyncRound } from '../../src/sync/sync-round.ts';
import { loopbackNode, tempDir } from '../node/helpers.ts';

let main: ExecutedChain;
let fork: ExecutedChain;
let other: GeneratedChain;

beforeAll(async () => {
  // Both share blocks 1-4; the fork leaves the main chain at 5 and is two blocks higher. Each
  // block stores BLOCKHASH of its parent: the follower executes the fork's side blocks with the
  // fork's hashes.
  const shape = { txsPerBlock: 1, blockHashes: true };
  main = await generateExecutedChain({ ...shape, blocks: 8 });
  fork = await generateExecutedChain({ ...shape, blocks: 10, fork: { after: 4, salt: 9 } });
  other = await generateChain({ blocks: 12 });
});

/** The hash of a block RLP's header. */
const hashOf = (block: Uint8Array): Uint8Array =>
  decodeHeader((listItems(readRoot(block, 'block'), 'block')[0] as RlpItem).raw).hash;

async function chainOf(blocks: readonly Uint8Array[]): Promise<MemoryChain> {
  const chain = await MemoryChain.fromGenesis(readGenesis(main.genesisJson));
  if (blocks.length > 0) await chain.importBlocks(blocks);
  return chain;
}

/** A target serving `source`'s headers and bodies, recording its header requests. */
function target(source: ChainReader): { peer: EthPeer; requests: [bigint, number][] } {
  const requests: [bigint, number][] = [];
  const peer = {
    key: 'target',
    closed: false,
    async requestHeadersByNumber(origin: bigint, amount: number): Promise<Uint8Array[]> {
      requests.push([origin, amount]);
      const out: Uint8Array[] = [];
      for (let n = origin; n < origin + BigInt(amount); n++) {
        const header = source.headerByNumber(n);
        if (header !== undefined) out.push(header.rlp);
      }
      return out;
    },
    async requestBodies(hashes: readonly Uint8Array[]): Promise<Uint8Array[]> {
      return hashes.map((h) => source.bodyByHash(h) as Uint8Array);
    },
  };
  return { peer: peer as unknown as EthPeer, requests };
}

async function round(
  chain: MemoryChain,
  peer: EthPeer,
  targetNumber: bigint,
  options: Partial<RoundContext> = {},
): Promise<{ end: RoundEnd; dropped: string[] }> {
  const dropped: string[] = [];
  const end = await new SyncRound({
    chain,
    target: peer,
    targetNumber,
    peers: () => (dropped.length > 0 ? [] : [{ peer, head: targetNumber }]),
    drop: (p, why) => dropped.push(`${p.key}: ${why}`),
    imported: () => undefined,
    signal: new AbortController().signal,
    log: silentLogger,
    requestTimeoutMs: 1000,
    ...options,
  }).run();
  return { end, dropped };
}

describe('SyncRound on another branch', () => {
  it('finds the common ancestor in one span request and switches to the higher branch', async () => {
    const chain = await chainOf(main.blocks);
    const t = target(await chainOf(fork.blocks));
    const { end, dropped } = await round(chain, t.peer, 10n, { headerBatch: 16 });
    expect(dropped).toEqual([]);
    expect(end.kind).toBe('done');
    expect(chain.head().number).toBe(10n);
    for (let n = 1; n <= 10; n++) {
      const want = (n <= 4 ? main : fork).blocks[n - 1] as Uint8Array;
      expect(chain.headerByNumber(BigInt(n))?.hash).toEqual(hashOf(want));
    }
    // From our head (9), the span up to our head (0-8), then the branch from the ancestor.
    expect(t.requests).toEqual([
      [9n, 2],
      [0n, 9],
      [5n, 6],
    ]);
  });

  it('searches further back by binary search, one header per request', async () => {
    const chain = await chainOf(main.blocks);
    const t = target(await chainOf(fork.blocks));
    const { end } = await round(chain, t.peer, 10n, { headerBatch: 2 });
    expect(end.kind).toBe('done');
    expect(chain.head().hash).toEqual(hashOf(fork.blocks[9] as Uint8Array));
    // The span (7-8) misses; then 0 (the floor), 3, 5, 4: block 4 is the ancestor.
    expect(t.requests.slice(1, 6)).toEqual([
      [7n, 2],
      [0n, 1],
      [3n, 1],
      [5n, 1],
      [4n, 1],
    ]);
    expect(t.requests[6]).toEqual([5n, 2]);
  });

  it('drops a target with no common ancestor', async () => {
    const chain = await chainOf(main.blocks);
    const stranger = await MemoryChain.fromGenesis(other.genesis);
    stranger.importRlp(other.chainRlp);
    const { end, dropped } = await round(chain, target(stranger).peer, 12n, { headerBatch: 16 });
    expect(end.kind).toBe('dropped');
    expect(dropped).toEqual([
      'target: bad header chain: chain does not connect: no common ancestor within 90000 blocks',
    ]);
    expect(chain.head().hash).toEqual(hashOf(main.blocks[7] as Uint8Array));
  });
});

describe('two nodes on different branches', () => {
  let dir: string;
  const nodes: FullNode[] = [];
  let count = 0;

  beforeAll(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.stop();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the follower (executing) reorgs to the seed’s higher branch and announces it', async () => {
    const seedChain = await chainOf(fork.blocks);
    const seed = loopbackNode({
      datadir: join(dir, `n${count++}`),
      discovery: false,
      chain: seedChain,
      noDial: true,
    });
    nodes.push(seed);
    await seed.start();
    const chain = await PersistentChain.open({ genesisJson: main.genesisJson });
    await chain.importBlocks(main.blocks);
    const node = loopbackNode({
      datadir: join(dir, `n${count++}`),
      discovery: false,
      chain,
      staticNodes: [seed.self()],
    });
    nodes.push(node);
    await node.start();
    const forkHead = hashOf(fork.blocks[9] as Uint8Array);
    const view = () => seed.peerSet.peer(node.self().id);
    await waitFor(() => view() !== undefined, {
      on: { emitters: [seed.peerSet.events], events: ['peer:registered'] },
      what: 'the follower connected',
      signal: AbortSignal.timeout(20_000),
    });
    const peer = view() as EthPeer;
    await waitFor(() => peer.blockRange?.latest === 10n, {
      on: { emitters: [peer.events], events: ['block-range:updated'] },
      what: 'the seed sees the follower at the fork head',
      signal: AbortSignal.timeout(20_000),
    });
    expect(peer.blockRange?.latestHash).toEqual(forkHead);
    expect(chain.head().hash).toEqual(forkHead);
    expect(chain.receiptsByHash(hashOf(fork.blocks[6] as Uint8Array))).toBeDefined();
    expect(node.server?.reputation.bans()).toEqual([]);
  });
});
