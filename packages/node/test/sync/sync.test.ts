import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatedClock } from '@ethp2p/base';
import { nextTurn, waitFor } from '@ethp2p/base/testing';
import { MemoryChain } from '@ethp2p/chain';
import { concatBytes, equalBytes, generatePrivateKey } from '@ethp2p/crypto';
import { nodeIdToHex } from '@ethp2p/enode';
import type { ChainReader, EthPeer } from '@ethp2p/eth';
import { DiscReason, type Reputation, type Server } from '@ethp2p/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../../eth/test/helpers/chain-generator.ts';
import type { FullNodeOptions } from '../../src/node/config.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { Syncer, type SyncerOptions } from '../../src/sync/syncer.ts';
import { loopbackNode, tempDir } from '../node/helpers.ts';

const BLOCKS = 200;
let dir: string;
let gen: GeneratedChain;
let other: GeneratedChain;
const nodes: FullNode[] = [];
let count = 0;

beforeAll(async () => {
  dir = await tempDir('ethp2p-sync-');
  gen = await generateChain({ blocks: BLOCKS, txEvery: 3 });
  // The same genesis, other blocks: block 1 on differs.
  other = await generateChain({ blocks: BLOCKS, txEvery: 3, extraDataBytes: 2 });
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seeded(): Promise<MemoryChain> {
  const chain = await MemoryChain.fromGenesis(gen.genesis);
  chain.importRlp(gen.chainRlp);
  return chain;
}

async function start(
  options: Pick<FullNodeOptions, 'chain'> & Partial<FullNodeOptions>,
): Promise<FullNode> {
  const node = loopbackNode({ datadir: join(dir, `n${count++}`), discovery: false, ...options });
  nodes.push(node);
  await node.start();
  return node;
}

/** An empty node (genesis only) that dials `peers`. */
async function follower(
  peers: readonly FullNode[],
  options: Partial<FullNodeOptions> = {},
): Promise<{ node: FullNode; chain: MemoryChain }> {
  const chain = await MemoryChain.fromGenesis(gen.genesis);
  const node = await start({ chain, staticNodes: peers.map((p) => p.self()), ...options });
  return { node, chain };
}

/** An empty node that dials `seed` and syncs with a Syncer of the test's (not started). */
async function ownSyncer(
  seed: FullNode,
  options: Partial<SyncerOptions>,
): Promise<{ node: FullNode; chain: MemoryChain; syncer: Syncer }> {
  const chain = await MemoryChain.fromGenesis(gen.genesis);
  const node = await start({ chain, sync: false, staticNodes: [seed.self()] });
  const syncer = new Syncer({
    chain,
    peerSet: node.peerSet,
    ban: (peer) => peer.disconnect(DiscReason.UselessPeer),
    ...options,
  });
  return { node, chain, syncer };
}

/** `node` as an eth peer of `at`, once `at` registered it. */
async function hasPeer(at: FullNode, node: FullNode): Promise<EthPeer> {
  await waitFor(() => at.peerSet.peer(node.self().id) !== undefined, {
    on: { emitters: [at.peerSet.events], events: ['peer:registered'] },
    what: 'the peer registered',
    signal: AbortSignal.timeout(10_000),
  });
  return at.peerSet.peer(node.self().id) as EthPeer;
}

function reachedHead(node: FullNode, chain: ChainReader, number: bigint): Promise<void> {
  const syncer = node.syncer as Syncer;
  return waitFor(() => chain.head().number >= number, {
    on: { emitters: [syncer.events], events: ['head:updated'] },
    what: `head ${number}`,
    signal: AbortSignal.timeout(30_000),
  });
}

function expectSameChain(chain: ChainReader, upTo: number): void {
  for (let n = 0; n <= upTo; n++) {
    const hash = gen.hashes[n] as Uint8Array;
    expect(chain.headerByNumber(BigInt(n))?.hash).toEqual(hash);
    expect(chain.bodyByHash(hash)).toEqual(gen.bodies[n]);
  }
}

/** A chain serving `base`'s data, with `edit` deciding what each lookup gives. */
function wrapped(base: ChainReader, edit: Partial<ChainReader>): ChainReader {
  return {
    config: base.config,
    genesis: () => base.genesis(),
    head: () => base.head(),
    headerByHash: (h) => base.headerByHash(h),
    headerByNumber: (n) => base.headerByNumber(n),
    bodyByHash: (h) => base.bodyByHash(h),
    receiptsByHash: (h) => base.receiptsByHash(h),
    ...edit,
  };
}

describe('sync', () => {
  it('brings an empty node to its peer head over eth/72, the highest shared version, and announces its range', async () => {
    const seed = await start({ chain: await seeded(), noDial: true });
    const { node, chain } = await follower([seed]);
    await reachedHead(node, chain, BigInt(BLOCKS));
    expect(chain.head().hash).toEqual(gen.hashes[BLOCKS]);
    expectSameChain(chain, BLOCKS);
    const [peer] = node.peerSet;
    expect(peer?.version).toBe(72);
    // The seed hears the follower's new range (BlockRangeUpdate).
    const view = seed.peerSet.peer(node.self().id);
    await waitFor(() => view?.blockRange?.latest === BigInt(BLOCKS), {
      on: { emitters: view === undefined ? [] : [view.events], events: ['block-range:updated'] },
      what: 'the seed sees the follower at the head',
      signal: AbortSignal.timeout(10_000),
    });
    const status = node.status();
    expect(status.head?.number).toBe(BigInt(BLOCKS));
    expect(status.head?.hash).toEqual(gen.hashes[BLOCKS]);
    expect(node.syncer?.progress().imported).toBe(BLOCKS);
  });

  it('syncs from an eth/68-only peer (head learnt from the Status hash)', async () => {
    const seed = await start({ chain: await seeded(), noDial: true, ethVersions: [68] });
    const { node, chain } = await follower([seed]);
    await reachedHead(node, chain, BigInt(BLOCKS));
    expect([...node.peerSet][0]?.version).toBe(68);
    expectSameChain(chain, BLOCKS);
  });

  it('does not follow NewBlockHashes or NewBlock (post-merge, as geth): no round starts', async () => {
    const half = await MemoryChain.fromGenesis(gen.genesis);
    half.importRlp(concatBytes(...gen.blocks.slice(0, 100)));
    const seed = await start({ chain: half, noDial: true, ethVersions: [68] });
    const { node, chain } = await follower([seed]);
    await reachedHead(node, chain, 100n);
    const view = await hasPeer(seed, node);
    const [onFollower] = node.peerSet;
    const events = (onFollower as EthPeer).events;
    const heard = Promise.all([
      new Promise((resolve) => events.once('blocks:announced', resolve)),
      new Promise((resolve) => events.once('block:received', resolve)),
    ]);
    const next = gen.hashes[150] as Uint8Array;
    view.asyncAnnounceBlock(next, 150n);
    view.asyncSendNewBlock(gen.blocks[149] as Uint8Array, next, 0n);
    await heard;
    await nextTurn();
    expect(onFollower?.head?.number).toBe(150n);
    expect(node.syncer?.progress().target).toBeUndefined();
    expect(chain.head().number).toBe(100n);
    expect(chain.headerByHash(next)).toBeUndefined();
  });

  it('follows a peer whose head moves, learnt from its BlockRangeUpdate', async () => {
    const growing = await MemoryChain.fromGenesis(gen.genesis);
    growing.importRlp(concatBytes(...gen.blocks.slice(0, 100)));
    const seed = await start({ chain: growing, noDial: true });
    const { node, chain } = await follower([seed]);
    await reachedHead(node, chain, 100n);
    const view = await hasPeer(seed, node);
    growing.importRlp(concatBytes(...gen.blocks.slice(100)));
    const latestHash = gen.hashes[BLOCKS] as Uint8Array;
    view.asyncSendBlockRange({ earliest: 0n, latest: BigInt(BLOCKS), latestHash });
    await reachedHead(node, chain, BigInt(BLOCKS));
    expect(chain.head().hash).toEqual(latestHash);
  });

  it('takes bodies from several peers, moving on from one that serves none', async () => {
    const full = await seeded();
    const a = await start({ chain: full, noDial: true });
    const b = await start({ chain: wrapped(full, { bodyByHash: () => undefined }), noDial: true });
    const { node, chain } = await follower([a, b]);
    await reachedHead(node, chain, BigInt(BLOCKS));
    expectSameChain(chain, BLOCKS);
    expect(node.server?.reputation.isBannedId(b.self().id)).toBe(false);
  });

  it('drops and bans a peer that serves a tampered body, importing nothing of the block', async () => {
    const full = await seeded();
    const bad = gen.hashes[7] as Uint8Array; // block 7 has transactions (txEvery 3: 1, 4, 7, ...)
    const tampered = wrapped(full, {
      bodyByHash: (h) => (equalBytes(h, bad) ? (gen.bodies[4] as Uint8Array) : full.bodyByHash(h)),
    });
    const privateKey = generatePrivateKey();
    const seed = await start({ chain: tampered, noDial: true, privateKey });
    const { node, chain } = await follower([seed]);
    const syncer = node.syncer as Syncer;
    const dropped = new Promise<string>((resolve) =>
      syncer.events.once('peer:dropped', ({ why }) => resolve(why)),
    );
    expect(await dropped).toMatch(/transactions root/);
    // Banned once, by the server's reputation, for longer than any session.
    const reputation = node.server?.reputation as Reputation;
    expect(reputation.isBannedId(seed.self().id)).toBe(true);
    expect(reputation.metrics.bansAdded.manual).toBe(1);
    const [ban] = reputation.bans();
    expect(ban?.reason).toMatch(/^bad chain data: .*transactions root/);
    expect((ban?.untilMs ?? 0) - Date.now()).toBeGreaterThan(365 * 24 * 3600 * 1000);
    await waitFor(() => node.peerSet.len === 0, {
      on: { emitters: [node.peerSet.events], events: ['peer:unregistered'] },
      what: 'the bad peer gone',
      signal: AbortSignal.timeout(10_000),
    });
    expect(chain.headerByHash(bad)).toBeUndefined();
    expect(chain.head().number).toBeLessThan(7n);
    // It is refused when it comes back (a new process with the same key dials in): right
    // after the handshake, never registered.
    let returns = 0;
    const seedKey = nodeIdToHex(seed.self().id);
    node.peerSet.events.on('peer:registered', ({ peer }) => {
      if (peer.key === seedKey) returns++;
    });
    await seed.stop();
    const server = node.server as Server;
    await start({ chain: tampered, privateKey, staticNodes: [node.self()] });
    await waitFor(() => reputation.metrics.refusedIds >= 1, {
      on: { emitters: [server.events], events: ['connection:failed'] },
      what: 'the banned peer refused again',
      signal: AbortSignal.timeout(10_000),
    });
    expect(returns).toBe(0);
    expect(reputation.metrics.bansAdded.manual).toBe(1);
  });

  it('drops a peer whose chain does not connect', async () => {
    const full = await seeded();
    const forked = await MemoryChain.fromGenesis(other.genesis);
    forked.importRlp(other.chainRlp);
    // Blocks 1-4 of the chain, then the other chain's blocks: 5 does not follow 4.
    const broken = wrapped(full, {
      headerByNumber: (n) => (n <= 4n ? full.headerByNumber(n) : forked.headerByNumber(n)),
    });
    const seed = await start({ chain: broken, noDial: true });
    const { node, chain } = await follower([seed]);
    const syncer = node.syncer as Syncer;
    const why = await new Promise<string>((resolve) =>
      syncer.events.once('peer:dropped', ({ why: w }) => resolve(w)),
    );
    expect(why).toMatch(/does not connect/);
    expect(chain.head().number).toBeLessThanOrEqual(4n);
    expect(node.server?.reputation.isBannedId(seed.self().id)).toBe(true);
  });

  it('shows blocks/s by the head as it moves, not by whole import batches', async () => {
    const clock = new SimulatedClock(0);
    const chain = await MemoryChain.fromGenesis(gen.genesis);
    const node = await start({ chain, clock });
    expect(node.status().sync).toBeUndefined();
    // Blocks that reach the head outside a finished syncer batch count too.
    chain.importRlp(gen.chainRlp);
    clock.advance(4000);
    expect(node.status().sync).toEqual({ target: undefined, blocksPerSecond: BLOCKS / 4 });
    clock.advance(1000);
    expect(node.status().sync).toBeUndefined();
  });

  it('tries a peer that stalled a round again after a while, its head unchanged', async () => {
    const full = await seeded();
    let withheld = false;
    // The first body asked for is missing once: the only peer answers an empty BlockBodies.
    const once = wrapped(full, {
      bodyByHash: (h) => {
        if (withheld) return full.bodyByHash(h);
        withheld = true;
        return undefined;
      },
    });
    const seed = await start({ chain: once, noDial: true });
    const { node, chain, syncer } = await ownSyncer(seed, { stallRetryMs: 100 });
    const ends: string[] = [];
    syncer.events.on('round:ended', ({ end }) => ends.push(end.kind));
    syncer.start();
    try {
      await waitFor(() => chain.head().number === BigInt(BLOCKS), {
        on: { emitters: [syncer.events], events: ['head:updated'] },
        what: 'the head after the stalled round',
        signal: AbortSignal.timeout(15_000),
      });
    } finally {
      await syncer.stop();
    }
    expect(withheld).toBe(true);
    expect(ends[0]).toBe('stalled');
    expectSameChain(chain, BLOCKS);
    expect(node.server?.reputation.isBannedId(seed.self().id)).toBe(false);
  });

  it('stops mid-sync: the round ends and nothing more is imported', async () => {
    const seed = await start({ chain: await seeded(), noDial: true });
    const { chain, syncer } = await ownSyncer(seed, { headerBatch: 8, bodyBatch: 4 });
    const firstImport = new Promise<void>((resolve) =>
      syncer.events.once('head:updated', () => resolve()),
    );
    const ended = new Promise<string>((resolve) =>
      syncer.events.once('round:ended', ({ end }) => resolve(end.kind)),
    );
    syncer.start();
    await firstImport;
    await syncer.stop();
    expect(await ended).toBe('aborted');
    const head = chain.head().number;
    expect(head).toBeGreaterThan(0n);
    expect(head).toBeLessThan(BigInt(BLOCKS));
    expect(syncer.progress().target).toBeUndefined();
    await syncer.stop(); // idempotent
    expect(chain.head().number).toBe(head);
  });
});
