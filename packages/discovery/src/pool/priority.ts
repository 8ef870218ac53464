/**
 * Lowering a signature worker's scheduling priority below the event loop's. Signature work is
 * throughput work; the event loop owns the table, matches replies to our own requests and, in a
 * full node, serves every RLPx peer. With as many busy threads as cores (a pool of 2 and the loop
 * on 2 cores), equal priorities let the kernel preempt the loop each time it wakes a worker, and
 * the batches it would post next wait behind the ones being signed: measured on a FindNode flood,
 * the workers were idle a third of the time while the loop waited for a core.
 *
 * Linux gives each thread a nice value of its own, set through its thread ID; elsewhere a nice
 * value belongs to the process, and nothing is changed.
 * @module
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice increment of signature workers by default: the loop is favoured about 10 to 1. */
export const DEFAULT_WORKER_NICE = 10;

/** Highest nice value (lowest priority) Linux allows. */
const MAX_NICE = 19;

/** A thread's ID and the nice value it now runs at. */
export interface ThreadPriority {
  readonly tid: number;
  readonly nice: number;
}

/**
 * Raises the calling thread's nice value by `increment` (capped at 19). Returns the thread's ID
 * and new nice value, or undefined where threads have no priority of their own (not Linux) or
 * the kernel refused.
 */
export function lowerThreadPriority(increment: number): ThreadPriority | undefined {
  if (process.platform !== 'linux' || increment === 0) return undefined;
  try {
    // `/proc/thread-self` links to `/proc/<pid>/task/<tid>` (Linux 3.17 and later).
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return undefined;
    const nice = Math.min(MAX_NICE, getPriority(tid) + increment);
    setPriority(tid, nice);
    return { tid, nice: getPriority(tid) };
  } catch {
    return undefined;
  }
}

/** @throws {RangeError} unless `increment` is an integer from 0 to 19 */
export function checkNiceIncrement(increment: number): void {
  if (!Number.isSafeInteger(increment) || increment < 0 || increment > MAX_NICE) {
    throw new RangeError(`workerNice: expected an integer from 0 to ${MAX_NICE}, got ${increment}`);
  }
}
