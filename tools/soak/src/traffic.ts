/**
 * What a well-behaved soak peer does once registered: one random eth action at a time (headers
 * by number and by hash, bodies, receipts, announcing new transactions, which the node then
 * fetches with GetPooledTransactions, fetching pooled transactions back, and on eth/69 a
 * BlockRangeUpdate), counted in {@link TrafficCounts}.
 * @module
 */
import type { Random } from '@ethp2p/base';
import type { MemoryTxPool } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { broadcastTransactions, type ChainReader, type EthPeer, type PeerSet } from '@ethp2p/eth';
import { soakTransaction } from './txs.ts';

/** Counters of a soak's peers. */
export interface TrafficCounts {
  /** Sessions started (each a connection attempt), misbehaving ones included. */
  sessions: number;
  /** Sessions that misbehaved (wrong network, garbage Status, garbage before the handshake). */
  misbehaving: number;
  /** Misbehaving sessions the node ended or refused (a disconnect, a closed socket). */
  misbehavingDropped: number;
  /** Well-behaved sessions that finished Status with the node. */
  registered: number;
  /** Requests answered. */
  requests: number;
  /** Requests that failed (timeouts, or the session ending under them). */
  requestErrors: number;
  /** Transactions announced to the node. */
  txsAnnounced: number;
  /** Transactions fetched back from the node's pool. */
  txsFetched: number;
  /** BlockRangeUpdates sent (eth/69). */
  blockRanges: number;
}

/** Zeroed {@link TrafficCounts}. */
export function emptyCounts(): TrafficCounts {
  return {
    sessions: 0,
    misbehaving: 0,
    misbehavingDropped: 0,
    registered: 0,
    requests: 0,
    requestErrors: 0,
    txsAnnounced: 0,
    txsFetched: 0,
    blockRanges: 0,
  };
}

/** Most headers, bodies or receipts one request asks for. */
const MAX_ITEMS = 32;
/** Transactions announced at once. */
const TXS_PER_ANNOUNCE = 8;

/** What one well-behaved peer works with. */
export interface PeerContext {
  readonly peer: EthPeer;
  readonly peerSet: PeerSet;
  readonly txPool: MemoryTxPool;
  readonly chain: ChainReader;
  readonly random: Random;
  readonly counts: TrafficCounts;
  /** Tags this peer's transactions (unique per session). */
  readonly tag: number;
  /** The next nonce of this peer's transactions. */
  nonce: number;
}

/** Does one random action; failures are counted, never thrown. */
export async function trafficStep(ctx: PeerContext): Promise<void> {
  const action = ACTIONS[ctx.random.intn(ACTIONS.length)];
  try {
    await action?.(ctx);
  } catch {
    ctx.counts.requestErrors++;
  }
}

const ACTIONS: readonly ((ctx: PeerContext) => Promise<void>)[] = [
  headersByNumber,
  headersByHash,
  bodies,
  receipts,
  announceTxs,
  announceTxs,
  fetchPooled,
  blockRange,
];

async function headersByNumber(ctx: PeerContext): Promise<void> {
  const head = Number(ctx.chain.head().number);
  await ctx.peer.requestHeadersByNumber(
    BigInt(ctx.random.intn(head + 1)),
    1 + ctx.random.intn(MAX_ITEMS),
  );
  ctx.counts.requests++;
}

async function headersByHash(ctx: PeerContext): Promise<void> {
  await ctx.peer.requestHeadersByHash(randomHashes(ctx, 1)[0] ?? ctx.chain.head().hash, 8, {
    reverse: true,
  });
  ctx.counts.requests++;
}

async function bodies(ctx: PeerContext): Promise<void> {
  await ctx.peer.requestBodies(randomHashes(ctx, 1 + ctx.random.intn(MAX_ITEMS)));
  ctx.counts.requests++;
}

async function receipts(ctx: PeerContext): Promise<void> {
  await ctx.peer.requestReceipts(randomHashes(ctx, 1 + ctx.random.intn(MAX_ITEMS)));
  ctx.counts.requests++;
}

async function announceTxs(ctx: PeerContext): Promise<void> {
  const txs = Array.from({ length: TXS_PER_ANNOUNCE }, () => soakTransaction(ctx.tag, ctx.nonce++));
  ctx.txPool.add(txs);
  broadcastTransactions(ctx.peerSet, ctx.txPool, txs.map(keccak256));
  ctx.counts.txsAnnounced += txs.length;
}

/** Fetches transactions this peer has from the node's pool (it relays what others announced). */
async function fetchPooled(ctx: PeerContext): Promise<void> {
  const pooled = ctx.txPool.pendingHashes();
  if (pooled.length === 0) return;
  const start = ctx.random.intn(pooled.length);
  const got = await ctx.peer.requestPooledTransactions(pooled.slice(start, start + MAX_ITEMS));
  ctx.counts.requests++;
  ctx.counts.txsFetched += got.length;
}

async function blockRange(ctx: PeerContext): Promise<void> {
  if (ctx.peer.version < 69) return;
  const head = ctx.chain.head();
  ctx.peer.asyncSendBlockRange({ earliest: 0n, latest: head.number, latestHash: head.hash });
  ctx.counts.blockRanges++;
}

/** `n` random block hashes of the chain (a few unknown ones among them). */
function randomHashes(ctx: PeerContext, n: number): Uint8Array[] {
  const head = Number(ctx.chain.head().number);
  return Array.from({ length: n }, () => {
    const i = ctx.random.intn(head + 2);
    return ctx.chain.headerByNumber(BigInt(i))?.hash ?? ctx.random.bytes(32);
  });
}
