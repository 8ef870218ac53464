/**
 * The sync suite: blocks/s and MB/s synced between two ethp2p nodes on loopback, one seeded with
 * a synthetic chain and one with its genesis only, for headers alone (empty bodies are never
 * fetched) and for headers and bodies; next to the same blocks imported locally with
 * `importBlocks` (structural validation, no network), so the ratio shows what the network part
 * costs. Execution is not included: `MemoryChain` validates structurally only. The chain is the
 * testnet's (London, no withdrawals).
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { MemoryChain } from '@ethp2p/chain';
import { parseGenesisJson } from '@ethp2p/eth';
import { FullNode, syntheticBlocks, testnetGenesisJson } from '@ethp2p/node';
import { formatTable } from './timing.ts';

const BLOCKS = 3000;
const SYNC_TIMEOUT_MS = 120_000;

interface Case {
  readonly label: string;
  readonly txsPerBlock: number;
  readonly txDataBytes: number;
}

const CASES: readonly Case[] = [
  { label: 'headers only (empty bodies)', txsPerBlock: 0, txDataBytes: 0 },
  { label: 'headers + bodies (20 txs x 200 B)', txsPerBlock: 20, txDataBytes: 200 },
];

interface CaseResult {
  readonly label: string;
  readonly bytes: number;
  readonly syncMs: number;
  readonly importMs: number;
}

async function runCase(c: Case, dir: string): Promise<CaseResult> {
  const genesis = parseGenesisJson(testnetGenesisJson());
  const seedChain = await MemoryChain.fromGenesis(genesis);
  const blocks = await syntheticBlocks(seedChain.head(), BLOCKS, c);
  await seedChain.importBlocks(blocks);
  const bytes = blocks.reduce((sum, b) => sum + b.length, 0);

  const local = await MemoryChain.fromGenesis(genesis);
  const importStart = performance.now();
  await local.importBlocks(blocks);
  const importMs = performance.now() - importStart;

  const common = {
    listenIp: '127.0.0.1',
    port: 0,
    discovery: false,
    statusIntervalMs: 0,
    logger: silentLogger,
  } as const;
  const seed = new FullNode({ ...common, datadir: join(dir, 'seed'), chain: seedChain });
  await seed.start();
  const chain = await MemoryChain.fromGenesis(genesis);
  const follower = new FullNode({
    ...common,
    datadir: join(dir, 'follower'),
    chain,
    staticNodes: [seed.self()],
  });
  try {
    const start = performance.now();
    await follower.start();
    const target = seedChain.head().number;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sync timed out')), SYNC_TIMEOUT_MS);
      follower.syncer?.events.on('head:updated', ({ head }) => {
        if (head.number < target) return;
        clearTimeout(timer);
        resolve();
      });
    });
    return { label: c.label, bytes, syncMs: performance.now() - start, importMs };
  } finally {
    await follower.stop();
    await seed.stop();
  }
}

/** Runs the suite and prints its table. */
export async function runSyncBench(): Promise<void> {
  console.log(`sync: ${BLOCKS} blocks between two nodes on loopback (structural validation)`);
  const rows: string[][] = [];
  for (const c of CASES) {
    const dir = await mkdtemp(join(tmpdir(), 'ethp2p-bench-sync-'));
    try {
      const r = await runCase(c, dir);
      const secs = r.syncMs / 1000;
      const importRate = BLOCKS / (r.importMs / 1000);
      rows.push([
        r.label,
        `${(r.bytes / 1e6).toFixed(1)} MB`,
        `${secs.toFixed(2)} s`,
        `${(BLOCKS / secs).toFixed(0)} blocks/s`,
        `${(r.bytes / 1e6 / secs).toFixed(2)} MB/s`,
        `${importRate.toFixed(0)} blocks/s`,
        `${(importRate / (BLOCKS / secs)).toFixed(1)}x`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(
    formatTable(
      ['case', 'chain', 'sync', 'synced', 'throughput', 'local import', 'import/sync'],
      rows,
    ),
  );
}
