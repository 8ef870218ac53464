/**
 * The dial scheduler's tasks, named after go-ethereum's 2019 `dialstate` (`p2p/dial.go` at
 * c420dcb39c): `dialTask` dials one node, `discoverTask` runs one lookup, `waitExpireTask` waits
 * for the earliest dial-history expiry. `readRandomTask` is the asynchronous form of that
 * design's synchronous `Table.ReadRandomNodes` call: it pulls the source's random nodes.
 *
 * Each task is an async function over a host (the scheduler): the scheduler owns all state,
 * and a task only calls back into it between awaits.
 * @module
 */
import { type Clock, type Logger, sleep } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { NetRestrict } from '../netrestrict.ts';
import { deadlineSignal, untilAborted } from './abort.ts';
import { checkEndpoint } from './check.ts';
import { MAX_USELESS_CANDIDATES } from './constants.ts';
import { DialError } from './errors.ts';
import type { DialFunction, DialOrigin } from './types.ts';

/** One running dial, owned by the scheduler. `node` moves to a static node's resolved endpoint. */
export interface DialTask {
  readonly key: string;
  node: Node;
  readonly origin: DialOrigin;
  readonly discoveredAt: number | undefined;
  readonly startedAt: number;
}

/** What `dialTask` needs from the scheduler. */
export interface DialTaskHost {
  readonly clock: Clock;
  readonly dialTimeoutMs: number;
  readonly netRestrict: NetRestrict | undefined;
  readonly dial: DialFunction;
  /** An attempt starts (`attempt` is 1, or 2 for a static retry): emit `dial:start`. */
  attemptStarted(task: DialTask, attempt: number): void;
  /** An attempt was aborted by the dial timeout. */
  attemptTimedOut(task: DialTask): void;
  /**
   * A static node's current record from the source, or `undefined` (not found, no longer
   * static, or resolved too recently). Rejects only with `signal.reason`.
   */
  resolveStatic(task: DialTask, signal: AbortSignal): Promise<Node | undefined>;
  /** The task ended; `failure` is absent on success. */
  dialDone(task: DialTask, failure: { readonly error: unknown } | undefined): void;
}

/**
 * Dials one node. A static node without an address is resolved first. When a static node's dial
 * fails, it is resolved through the source and, if its endpoint changed, dialed once more there
 * (geth `dialTask.run`).
 */
export async function dialTask(
  host: DialTaskHost,
  task: DialTask,
  signal: AbortSignal,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  try {
    if (
      task.origin === 'static' &&
      task.node.ip === undefined &&
      task.node.hostname === undefined
    ) {
      await dialUnresolved(host, task, signal);
    } else {
      await dialResolving(host, task, signal);
    }
  } catch (error) {
    failure = { error };
  }
  host.dialDone(task, failure);
}

async function dialUnresolved(host: DialTaskHost, task: DialTask, signal: AbortSignal) {
  const resolved = await host.resolveStatic(task, signal);
  if (resolved === undefined) throw new DialError('UNRESOLVED', 'static node not resolved');
  const reason = checkEndpoint(host.netRestrict, resolved);
  if (reason !== undefined) {
    throw new DialError('NOT_DIALABLE', `resolved static node not dialable: ${reason}`);
  }
  task.node = resolved;
  await attempt(host, task, 1, signal);
}

async function dialResolving(host: DialTaskHost, task: DialTask, signal: AbortSignal) {
  try {
    await attempt(host, task, 1, signal);
  } catch (err) {
    if (task.origin !== 'static' || signal.aborted) throw err;
    const resolved = await host.resolveStatic(task, signal);
    if (
      resolved === undefined ||
      (resolved.ip === task.node.ip && resolved.tcp === task.node.tcp) ||
      checkEndpoint(host.netRestrict, resolved) !== undefined
    ) {
      throw err;
    }
    task.node = resolved;
    await attempt(host, task, 2, signal);
  }
}

const STATIC_FLAGS = { static: true } as const;
const DYNAMIC_FLAGS = { static: false } as const;

/**
 * One call of the dial function under the dial timeout: its signal aborts with a `TIMEOUT`
 * {@link DialError} after `dialTimeoutMs`, or with the scheduler's reason on stop, and the
 * attempt ends at the abort even if the dial function does not.
 */
async function attempt(
  host: DialTaskHost,
  task: DialTask,
  n: number,
  parent: AbortSignal,
): Promise<void> {
  const timeoutMs = host.dialTimeoutMs;
  const deadline = deadlineSignal(
    parent,
    host.clock,
    timeoutMs,
    () => new DialError('TIMEOUT', `dial timed out after ${timeoutMs} ms`),
  );
  host.attemptStarted(task, n);
  try {
    const { node } = task;
    const flags = task.origin === 'static' ? STATIC_FLAGS : DYNAMIC_FLAGS;
    let dialing: Promise<void>;
    try {
      dialing = Promise.resolve(host.dial(node, flags, deadline.signal));
    } catch (err) {
      dialing = Promise.reject(err);
    }
    await untilAborted(dialing, deadline.signal);
  } catch (err) {
    if (deadline.signal.aborted && !parent.aborted) host.attemptTimedOut(task);
    throw err;
  } finally {
    deadline.dispose();
  }
}

/** What `discoverTask` and `readRandomTask` need from the scheduler. */
export interface DiscoverHost {
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Hands a candidate to the scheduler, which dials it at once if a slot is free and buffers it
   * otherwise. False when the node is unusable (self, connected, recently dialed, ...).
   */
  candidate(node: Node, origin: 'random' | 'lookup'): boolean;
}

/** What `discoverTask` needs beyond {@link DiscoverHost}. */
export interface LookupHost extends DiscoverHost {
  /** The earliest time the next lookup may start. */
  nextLookupAt(): number;
  /** Starts a lookup now (records the start for pacing). */
  startLookup(signal: AbortSignal): AsyncIterable<Node>;
  /** Whether to keep reading: false once the lookup buffer is full. */
  wantsLookupNodes(): boolean;
  lookupDone(): void;
}

/**
 * Runs one lookup (one at a time), waiting first until the lookup interval has passed since the
 * previous one started. Each node is handed over the moment the lookup yields it. The lookup is
 * left early when the buffer is full or it yields only unusable nodes.
 */
export async function discoverTask(host: LookupHost, signal: AbortSignal): Promise<void> {
  try {
    await sleep(host.clock, host.nextLookupAt() - host.clock.now(), signal);
    const iterator = host.startLookup(signal)[Symbol.asyncIterator]();
    const end = await pull(iterator, signal, host, 'lookup', () => host.wantsLookupNodes());
    if (end !== 'ended') await close(iterator, signal);
  } catch (err) {
    if (!signal.aborted) host.logger.debug('dial: lookup failed', { err: String(err) });
  } finally {
    host.lookupDone();
  }
}

/** What `readRandomTask` needs beyond {@link DiscoverHost}. */
export interface RandomHost extends DiscoverHost {
  /** The earliest time the random-nodes stream may be (re)opened. */
  nextRandomOpenAt(): number;
  /** The open random-nodes stream, opened now if needed. */
  randomIterator(): AsyncIterator<Node>;
  /** Whether a random node could be used now (a random slot is free). */
  wantsRandomNodes(): boolean;
  /** The stream ended, failed or yielded only unusable nodes: close it and back off. */
  randomEnded(): void;
  randomDone(): void;
}

/**
 * Reads the source's random nodes while random slots are free (one reader at a time). The
 * stream stays open between runs; when it ends it is reopened after the lookup interval.
 */
export async function readRandomTask(host: RandomHost, signal: AbortSignal): Promise<void> {
  try {
    await sleep(host.clock, host.nextRandomOpenAt() - host.clock.now(), signal);
    const iterator = host.randomIterator();
    const end = await pull(iterator, signal, host, 'random', () => host.wantsRandomNodes());
    if (end !== 'satisfied') host.randomEnded();
  } catch (err) {
    if (!signal.aborted) {
      host.logger.debug('dial: random nodes failed', { err: String(err) });
      host.randomEnded();
    }
  } finally {
    host.randomDone();
  }
}

/** Waits until the earliest dial-history entry expires; the scheduler then looks again. */
export async function waitExpireTask(
  clock: Clock,
  until: number,
  signal: AbortSignal,
): Promise<void> {
  try {
    await sleep(clock, until - clock.now(), signal);
  } catch {
    // aborted by stop()
  }
}

type PullEnd = 'ended' | 'satisfied' | 'useless';

async function pull(
  iterator: AsyncIterator<Node>,
  signal: AbortSignal,
  host: DiscoverHost,
  origin: 'random' | 'lookup',
  wanted: () => boolean,
): Promise<PullEnd> {
  let useless = 0;
  while (wanted()) {
    const next = await untilAborted(iterator.next(), signal);
    if (next.done === true) return 'ended';
    if (host.candidate(next.value, origin)) useless = 0;
    else if (++useless >= MAX_USELESS_CANDIDATES) return 'useless';
  }
  return 'satisfied';
}

/** Ends an iterator we stopped reading; a failing `return()` is dropped. */
export async function close(iterator: AsyncIterator<Node>, signal: AbortSignal): Promise<void> {
  if (iterator.return === undefined) return;
  try {
    await untilAborted(Promise.resolve(iterator.return()), signal);
  } catch {
    // the source's cleanup failed or we are stopping: nothing to do
  }
}
