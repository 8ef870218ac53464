/**
 * The sync suite: blocks/s and MB/s synced between two ethp2p nodes on loopback, one seeded with
 * a chain and one with its genesis only, next to the same blocks imported locally with
 * `importBlocks` (no network), so the ratio shows what the network part costs. Three cases:
 * headers alone (empty bodies are never fetched) and headers with bodies, on synthetic blocks and
 * `MemoryChain` (structural validation, the testnet's London genesis); and execution included,
 * on executed blocks (transfers and contract calls) and `PersistentChain`s (in-memory stores),
 * the follower executing every block it syncs. The seed runs its default serve budget, so a
 * chain of more than its burst (8 MiB) syncs at most near its 4 MiB/s per peer.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryChain, PersistentChain } from '@ethp2p/chain';
import { generateExecutedChain } from '@ethp2p/chain/testing';
import { type BlockImporter, type ChainReader, parseGenesisJson } from '@ethp2p/eth';
import { syntheticBlocks, testnetGenesisJson } from '@ethp2p/node';
import { startNodePair } from './node-pair.ts';
import { formatTable } from './timing.ts';

const SYNC_TIMEOUT_MS = 300_000;

/** A chain a node serves and a syncer imports into. */
type SyncChain = ChainReader & BlockImporter;

/** One case: its blocks and how to open a chain at their genesis. */
interface Setup {
  readonly blocks: readonly Uint8Array[];
  open(): Promise<SyncChain>;
  close(chain: SyncChain): Promise<void>;
}

/** A case of the suite. */
export interface SyncCase {
  readonly label: string;
  setup(blocks: number): Promise<Setup>;
}

/** Options of {@link measureSync}; the defaults are the suite's sizes. */
export interface SyncBenchOptions {
  /** Blocks of the structural cases (default 3000). */
  readonly blocks?: number;
  /** Blocks of the execution case (default 300). */
  readonly executedBlocks?: number;
}

/** What one case measured. */
export interface SyncResult {
  readonly label: string;
  readonly blocks: number;
  /** Bytes of the blocks' RLP. */
  readonly bytes: number;
  readonly syncMs: number;
  readonly importMs: number;
}

function synthetic(label: string, txsPerBlock: number, txDataBytes: number): SyncCase {
  return {
    label,
    async setup(count) {
      const genesis = parseGenesisJson(testnetGenesisJson());
      const open = (): Promise<MemoryChain> => MemoryChain.fromGenesis(genesis);
      const blocks = await syntheticBlocks((await open()).head(), count, {
        txsPerBlock,
        txDataBytes,
      });
      return { blocks, open, close: async () => {} };
    },
  };
}

const EXECUTED: SyncCase = {
  label: 'execution included (10 txs: transfers, calls that log)',
  async setup(count) {
    const { genesisJson, blocks } = await generateExecutedChain({ blocks: count, txsPerBlock: 10 });
    return {
      blocks,
      open: () => PersistentChain.open({ genesisJson }),
      close: (chain) => (chain as PersistentChain).close(),
    };
  },
};

/** The suite's cases, in order. */
export const SYNC_CASES: readonly SyncCase[] = [
  synthetic('headers only (empty bodies)', 0, 0),
  synthetic('headers + bodies (20 txs x 200 B)', 20, 200),
  EXECUTED,
];

/** Resolves once `chain`'s head reaches `target`, watching the follower's syncer. */
function reached(
  chain: ChainReader,
  events: { on(e: 'head:updated', f: (ev: { head: { number: bigint } }) => void): unknown },
  target: bigint,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (chain.head().number >= target) return resolve();
    const timer = setTimeout(() => reject(new Error('sync timed out')), SYNC_TIMEOUT_MS);
    events.on('head:updated', ({ head }) => {
      if (head.number < target) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

async function runCase(c: SyncCase, count: number, dir: string): Promise<SyncResult> {
  const { blocks, open, close } = await c.setup(count);
  const bytes = blocks.reduce((sum, b) => sum + b.length, 0);
  const local = await open();
  const importStart = performance.now();
  await local.importBlocks(blocks);
  const importMs = performance.now() - importStart;
  await close(local);

  const seedChain = await open();
  const followerChain = await open();
  try {
    await seedChain.importBlocks(blocks);
    const start = performance.now();
    const pair = await startNodePair({ dir, seedChain, followerChain });
    try {
      const syncer = pair.follower.syncer;
      if (syncer === undefined) throw new Error('the follower has no syncer');
      await reached(followerChain, syncer.events, seedChain.head().number);
      const syncMs = performance.now() - start;
      return { label: c.label, blocks: blocks.length, bytes, syncMs, importMs };
    } finally {
      await pair.stop();
    }
  } finally {
    await close(followerChain);
    await close(seedChain);
  }
}

/** Measures each case with a fresh pair of nodes. */
export async function measureSync(
  options: SyncBenchOptions = {},
  cases: readonly SyncCase[] = SYNC_CASES,
): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const c of cases) {
    const count = c === EXECUTED ? (options.executedBlocks ?? 300) : (options.blocks ?? 3000);
    const dir = await mkdtemp(join(tmpdir(), 'ethp2p-bench-sync-'));
    try {
      results.push(await runCase(c, count, dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/** Runs the suite and prints its table. */
export async function runSyncBench(options: SyncBenchOptions = {}): Promise<void> {
  console.log('sync: blocks between two nodes on loopback, next to a local import of the same');
  const rows = (await measureSync(options)).map((r) => {
    const secs = r.syncMs / 1000;
    const syncRate = r.blocks / secs;
    const importRate = r.blocks / (r.importMs / 1000);
    return [
      r.label,
      String(r.blocks),
      `${(r.bytes / 1e6).toFixed(1)} MB`,
      `${secs.toFixed(2)} s`,
      `${syncRate.toFixed(0)} blocks/s`,
      `${(r.bytes / 1e6 / secs).toFixed(2)} MB/s`,
      `${importRate.toFixed(0)} blocks/s`,
      `${(importRate / syncRate).toFixed(1)}x`,
    ];
  });
  console.log(
    formatTable(
      ['case', 'blocks', 'chain', 'sync', 'synced', 'throughput', 'local import', 'import/sync'],
      rows,
    ),
  );
}
