/**
 * Node iterators over lookups (geth `p2p/discover/lookup.go` `lookupIterator`): an endless
 * stream of nodes from successive random-target lookups, for dial candidates.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#recursive-lookup
 * @module
 */
import { type Clock, type Random, sleep } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';

/** Minimum time between the starts of two lookups of one iterator (geth `lookupIterator`). */
export const LOOKUP_MIN_INTERVAL_MS = 1000;

/** Random-target lookups use a random 64-byte "public key"; only its keccak256 matters. */
const TARGET_KEY_BYTES = 64;

/** What {@link randomNodes} needs from the discovery service. */
export interface RandomNodesDeps {
  /** Starts a lookup: `lookupBatches` bound to the service. */
  lookup(targetPublicKey: Uint8Array, signal: AbortSignal): AsyncGenerator<Node[], Node[]>;
  /** Resolves once the table has at least one node; may reject with `signal.reason`. */
  waitForTable(signal: AbortSignal): Promise<void>;
  /** Paces lookup starts. */
  readonly clock: Clock;
  /** Picks lookup targets. */
  readonly random: Random;
}

/**
 * An endless stream of nodes from successive random-target lookups: each lookup's table seed,
 * then each batch it discovers. At most one lookup starts per {@link LOOKUP_MIN_INTERVAL_MS} on
 * the injected clock; a lookup that yields nothing (empty table) is followed by `waitForTable`
 * before the next. Nodes are not deduplicated across lookups.
 *
 * Each `[Symbol.asyncIterator]()` call starts an independent iteration that owns its lookup and
 * timer. The iteration ends (returns) when `signal` aborts, without throwing the abort; leaving
 * it early (`break`) also stops its lookup. Other errors from the dependencies are rethrown.
 *
 * @example
 * ```ts
 * for await (const node of randomNodes(deps, { signal })) candidates.push(node);
 * ```
 */
export function randomNodes(
  deps: RandomNodesDeps,
  options: { signal?: AbortSignal } = {},
): AsyncIterable<Node> {
  const signal = options.signal;
  return { [Symbol.asyncIterator]: () => iterateRandomNodes(deps, signal) };
}

async function* iterateRandomNodes(
  deps: RandomNodesDeps,
  external: AbortSignal | undefined,
): AsyncGenerator<Node, void> {
  if (external?.aborted === true) return;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(external?.reason);
  external?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;
  let lastStartMs: number | undefined;
  try {
    for (;;) {
      if (lastStartMs !== undefined) await pace(deps.clock, lastStartMs, signal);
      lastStartMs = deps.clock.now();
      let yielded = false;
      for await (const batch of deps.lookup(deps.random.bytes(TARGET_KEY_BYTES), signal)) {
        for (const node of batch) {
          yielded = true;
          yield node;
          if (signal.aborted) return;
        }
      }
      if (!yielded) await deps.waitForTable(signal);
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  } finally {
    external?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

/**
 * Waits until {@link LOOKUP_MIN_INTERVAL_MS} after `lastStartMs`, never longer than the interval
 * itself (so a clock that jumps back cannot stall the iterator).
 */
async function pace(clock: Clock, lastStartMs: number, signal: AbortSignal): Promise<void> {
  const waitMs = Math.min(
    LOOKUP_MIN_INTERVAL_MS,
    lastStartMs + LOOKUP_MIN_INTERVAL_MS - clock.now(),
  );
  if (waitMs > 0) await sleep(clock, waitMs, signal);
}
