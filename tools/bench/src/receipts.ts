/**
 * The receipts suite: receipts/s and MB/s one ethp2p node serves another on loopback, at eth/68
 * (receipts with their bloom), eth/69 and eth/70 (paged receipts, EIP-7975), side by side. The seed holds a `PersistentChain` of
 * executed blocks (real receipts: transfers and contract calls that log); the client asks for
 * every block's receipts in batches through `EthPeer.requestReceipts`, one request at a time.
 * Each version runs twice: with the seed's default serve budget (per-peer handling time and
 * response bytes: what one real peer gets, the bytes bucket caps it near 4 MiB/s after its
 * burst) and with the budget lifted (what serving costs). eth/68 against `@ethereumjs/devp2p` is not measured: devp2p serves no
 * receipts itself (its application would).
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentChain } from '@ethp2p/chain';
import { generateExecutedChain } from '@ethp2p/chain/testing';
import type { EthPeer, PeerSet } from '@ethp2p/eth';
import { startNodePair } from './node-pair.ts';
import { formatTable } from './timing.ts';

/** Options of {@link measureReceipts}; the defaults are the suite's sizes. */
export interface ReceiptsBenchOptions {
  /** Executed blocks the seed holds (default 200). */
  readonly blocks?: number;
  /** Transactions per block (default 40). */
  readonly txsPerBlock?: number;
  /** Times the client fetches every block's receipts with the budget lifted (default 50). */
  readonly rounds?: number;
  /**
   * Times with the default budget (default 5): the budget holds one peer to about 4 MiB/s after
   * its burst, so a few rounds show that rate (eth/68's blooms quintuple the bytes).
   */
  readonly budgetedRounds?: number;
  /** Block hashes per GetReceipts (default 128). */
  readonly batch?: number;
  /** The eth versions measured, one pair of nodes each (default 68, 69 and 70). */
  readonly versions?: readonly number[];
}

/** A serve budget lifted far above what one peer on loopback can use. */
const LIFTED_BUDGET = {
  timePerSecondMs: 1_000,
  timeBurstMs: 60_000,
  bytesPerSecond: 1e12,
  bytesBurst: 1e12,
} as const;

/** What one version served. */
export interface ReceiptsResult {
  readonly version: number;
  /** Whether the seed ran its default serve budget or a lifted one. */
  readonly budget: 'default' | 'lifted';
  readonly requests: number;
  readonly receipts: number;
  /** Bytes of the receipts' RLP. */
  readonly bytes: number;
  readonly ms: number;
}

/** The first eth peer `peers` registers (the one it has, if any). */
function firstPeer(peers: PeerSet): Promise<EthPeer> {
  const peer = peers.bestPeer();
  if (peer !== undefined) return Promise.resolve(peer);
  return new Promise((resolve) => peers.events.once('peer:registered', (e) => resolve(e.peer)));
}

/** Measures each version with a fresh pair of nodes over one seed chain. */
export async function measureReceipts(
  options: ReceiptsBenchOptions = {},
): Promise<ReceiptsResult[]> {
  const { genesisJson, blocks } = await generateExecutedChain({
    blocks: options.blocks ?? 200,
    txsPerBlock: options.txsPerBlock ?? 40,
  });
  const seedChain = await PersistentChain.open({ genesisJson });
  const results: ReceiptsResult[] = [];
  try {
    await seedChain.importBlocks(blocks);
    const hashes: Uint8Array[] = [];
    for (let n = 1n; n <= seedChain.head().number; n++) {
      hashes.push((seedChain.headerByNumber(n) as { hash: Uint8Array }).hash);
    }
    const batch = options.batch ?? 128;
    const runs = (options.versions ?? [68, 69, 70]).flatMap((version) =>
      (['default', 'lifted'] as const).map((budget) => ({ version, budget })),
    );
    for (const { version, budget } of runs) {
      const dir = await mkdtemp(join(tmpdir(), 'ethp2p-bench-receipts-'));
      const clientChain = await PersistentChain.open({ genesisJson });
      try {
        const pair = await startNodePair({
          dir,
          seedChain,
          followerChain: clientChain,
          sync: false,
          ethVersions: [version],
          ...(budget === 'lifted' ? { seedServeBudget: LIFTED_BUDGET } : {}),
        });
        try {
          const peer = await firstPeer(pair.follower.peerSet);
          let requests = 0;
          let receipts = 0;
          let bytes = 0;
          const start = performance.now();
          const rounds =
            budget === 'lifted' ? (options.rounds ?? 50) : (options.budgetedRounds ?? 5);
          for (let round = 0; round < rounds; round++) {
            for (let i = 0; i < hashes.length; i += batch) {
              const lists = await peer.requestReceipts(hashes.slice(i, i + batch));
              requests++;
              for (const list of lists) {
                receipts += list.length;
                for (const r of list) bytes += r.length;
              }
            }
          }
          results.push({
            version,
            budget,
            requests,
            receipts,
            bytes,
            ms: performance.now() - start,
          });
        } finally {
          await pair.stop();
        }
      } finally {
        await clientChain.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await seedChain.close();
  }
  return results;
}

/** Runs the suite and prints its table. */
export async function runReceiptsBench(options: ReceiptsBenchOptions = {}): Promise<void> {
  const results = await measureReceipts(options);
  console.log(
    `receipts: ${options.blocks ?? 200} executed blocks x ${options.txsPerBlock ?? 40} txs, ` +
      `batches of ${options.batch ?? 128} hashes, between two nodes on loopback`,
  );
  const rows = results.map((r) => {
    const secs = r.ms / 1000;
    return [
      `eth/${r.version}`,
      r.budget,
      String(r.requests),
      String(r.receipts),
      `${(r.bytes / 1e6).toFixed(1)} MB`,
      `${secs.toFixed(2)} s`,
      `${(r.receipts / secs).toFixed(0)} receipts/s`,
      `${(r.bytes / 1e6 / secs).toFixed(2)} MB/s`,
    ];
  });
  console.log(
    formatTable(
      ['version', 'serve budget', 'requests', 'receipts', 'served', 'time', 'rate', 'throughput'],
      rows,
    ),
  );
}
