/**
 * Statistics of one iterative lookup (issue 18: observing simulations): queries sent, how they
 * ended, how many nodes were seen, how deep the chain of queries went, and the result.
 * @module
 */
import type { Node } from '@ethp2p/enode';

/** Why a lookup ended: it ran out of nodes to ask, or it was aborted or left early. */
export type LookupEnd = 'converged' | 'aborted';

/** What started a lookup of the discv4 service. */
export type LookupKind = 'lookup' | 'refresh' | 'random-nodes' | 'resolve';

/** Statistics of one finished lookup. */
export interface LookupStats {
  /** What started it (set by the service; `lookup` for a direct call). */
  readonly kind: LookupKind;
  /** The 32-byte target ID (keccak256 of the target key for discv4). */
  readonly targetId: Uint8Array;
  /** Clock ms when the lookup started and ended. */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** Queries (FINDNODE) sent. */
  readonly queried: number;
  /** Queries that were answered (with nodes or none). */
  readonly replies: number;
  /** Queries that failed, timeouts included. */
  readonly failures: number;
  /** Failed queries that failed by timing out. */
  readonly timeouts: number;
  /** Distinct nodes seen: the table seed and every node the replies brought. */
  readonly seen: number;
  /**
   * The longest chain of queries: asking a seed node is hop 1, asking a node that a hop-h reply
   * brought is hop h + 1. 0 when nothing was asked.
   */
  readonly hops: number;
  /** The closest nodes found, nearest first (at most the lookup's result size). */
  readonly result: readonly Node[];
  readonly end: LookupEnd;
}
