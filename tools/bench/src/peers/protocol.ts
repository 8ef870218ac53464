/**
 * What the processes of `pnpm bench peers` tell each other over their IPC channels: the bench
 * forks one host per measured node, and the host forks the peer workers.
 * @module
 */
import type { PeerCounts } from './bench-peers.ts';

/** What a peer worker is started with (its argv[2], as JSON). */
export interface PeerWorkerData {
  readonly enode: string;
  readonly count: number;
  readonly ethVersion: number;
}

/** Commands to a peer worker; it answers each with one {@link PeerCounts}. */
export type PeerWorkerCommand =
  | { readonly cmd: 'counts' }
  /** Announce `perPeer` hashes from `peers` peers in turn every `everyMs`, until `quiet`. */
  | {
      readonly cmd: 'gossip';
      readonly peers: number;
      readonly perPeer: number;
      readonly everyMs: number;
    }
  | { readonly cmd: 'quiet' }
  | { readonly cmd: 'stop' };

/** The node a host measures. */
export type Stack = 'ethp2p' | 'ejs';

/** What a host is started with (its argv[2], as JSON). */
export interface HostData {
  readonly stack: Stack;
  readonly peers: number;
  readonly workers: number;
  /** How long to let the connected peers sit before measuring them, in ms. */
  readonly settleMs: number;
  /** Gossip phase length in ms (0: none). */
  readonly gossipMs: number;
  /** Offered transactions per second over all peers during gossip. */
  readonly txRate: number;
  /** Hashes per announcement. */
  readonly perAnnouncement: number;
  /**
   * Write a heap snapshot of the node with its idle peers to this path, and one of the node
   * before any peer connected next to it (`-before` before the extension).
   */
  readonly heapSnapshot?: string;
}

/** What the gossip phase measured at the node. */
export interface GossipFigures {
  readonly seconds: number;
  /** eth messages the node received: announcements, PooledTransactions, all. */
  readonly announcementsIn: number;
  readonly pooledIn: number;
  readonly messagesIn: number;
  /** eth messages the node sent: announcements, Transactions, GetPooledTransactions, all. */
  readonly announcementsOut: number;
  readonly transactionsOut: number;
  readonly requestsOut: number;
  readonly messagesOut: number;
  /** Transactions new to the pool. */
  readonly txsAdded: number;
  /** What the peers sent and received meanwhile. */
  readonly peers: PeerCounts;
  /** Event-loop delay in ms. */
  readonly loopP50Ms: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** The node's CPU time (user + system) in ms. */
  readonly cpuMs: number;
  /** Heap after GC once the gossip stopped (known-sets and queues filled), in bytes. */
  readonly heapAfter: number;
}

/** What one host measured. */
export interface HostFigures {
  readonly stack: Stack;
  readonly peers: number;
  /** Peers past their Status when the idle figures were taken. */
  readonly connected: number;
  readonly connectSeconds: number;
  /** After GC, before and with the idle peers, in bytes. */
  readonly heapBefore: number;
  readonly heapIdle: number;
  readonly rssBefore: number;
  readonly rssIdle: number;
  /** Event-loop delay while the peers sat idle. */
  readonly idleLoopP99Ms: number;
  /** The node's CPU while the peers sat idle, in ms per second. */
  readonly idleCpuMsPerS: number;
  readonly gossip: GossipFigures | null;
  /** Why something was not measured. */
  readonly notes: readonly string[];
}
