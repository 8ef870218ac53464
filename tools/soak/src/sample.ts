/**
 * What a soak measures in the node's process: one sample of its memory, handles and peers.
 * @module
 */
import { getHeapStatistics } from 'node:v8';

/** One measurement of the node's process. */
export interface MemorySample {
  /** Time since the soak started, in ms. */
  readonly elapsedMs: number;
  /** Resident set size, in bytes. */
  readonly rssBytes: number;
  /** V8 heap in use before the forced collection, in bytes. */
  readonly heapUsedBytes: number;
  /** V8 heap in use right after a full collection, in bytes: what the verdict judges. */
  readonly heapAfterGcBytes: number;
  /** Active handles (sockets, servers, timers) as `process.getActiveResourcesInfo()` lists them. */
  readonly activeHandles: number;
  /** Connected devp2p peers. */
  readonly peers: number;
  /** Eth peers that finished Status. */
  readonly ethPeers: number;
}

/** The peer counts a sample reports, from the node. */
export interface PeerCounts {
  readonly peers: number;
  readonly ethPeers: number;
}

/**
 * Measures this process. With `gc` (node `--expose-gc`), a full collection runs between reading
 * the heap in use and reading it again; without it, the heap in use stands in for both.
 */
export function takeSample(
  elapsedMs: number,
  counts: PeerCounts,
  gc: (() => void) | undefined,
): MemorySample {
  const heapUsedBytes = getHeapStatistics().used_heap_size;
  gc?.();
  return {
    elapsedMs,
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes,
    heapAfterGcBytes: gc === undefined ? heapUsedBytes : getHeapStatistics().used_heap_size,
    activeHandles: process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').length,
    peers: counts.peers,
    ethPeers: counts.ethPeers,
  };
}
