/**
 * The server's node source over discovery v4 and v5 together: iterators take turns between the
 * two versions' streams (a simple alternation; a fair mix by quality is for later), `resolve` and
 * `requestEnr` ask v4 first and fall back to v5 for nodes with a record.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { SignalOptions } from '@ethp2p/server';
import type { DiscoverySource } from './dial-source.ts';

/** One {@link DiscoverySource} over several, in preference order (v4 first). */
export class MixedDiscoverySource implements DiscoverySource {
  readonly #sources: readonly DiscoverySource[];

  /** @throws {RangeError} without a source */
  constructor(sources: readonly DiscoverySource[]) {
    if (sources.length === 0) throw new RangeError('sources: expected at least one');
    this.#sources = sources;
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return alternate(
      this.#sources.map((s) => (signal) => s.randomNodes({ signal })),
      options.signal,
    );
  }

  lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return alternate(
      this.#sources.map((s) => (signal) => s.lookup(targetPublicKey, { signal })),
      options.signal,
    );
  }

  async resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    for (const s of this.#sources) {
      const found = await s.resolve(node, options);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** The first source's answer; the next is asked when one fails. @throws the last failure */
  async requestEnr(node: Node, options: SignalOptions = {}): Promise<Node> {
    let last: unknown;
    for (const s of this.#sources) {
      try {
        return await s.requestEnr(node, options);
      } catch (err) {
        options.signal?.throwIfAborted();
        last = err;
      }
    }
    throw last;
  }
}

type Pull = Promise<{ readonly index: number; readonly step: IteratorResult<Node> }>;

/**
 * Merges the streams: each has at most one pull pending, whichever answers first is yielded, and
 * after a stream yields the others are served first (so a stream that waits, such as a table
 * still empty, never holds the other back). Ends when every stream ended or `signal` aborts;
 * leaving early aborts the streams and awaits their ends. A failing stream ends the merge with
 * its error.
 */
async function* alternate(
  opens: readonly ((signal: AbortSignal) => AsyncIterable<Node>)[],
  signal: AbortSignal | undefined,
): AsyncGenerator<Node> {
  const controller = new AbortController();
  const inner =
    signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  const its = opens.map((open) => open(inner)[Symbol.asyncIterator]());
  const pending = new Map<number, Pull>();
  const pull = (index: number): void => {
    const it = its[index];
    if (it !== undefined)
      pending.set(
        index,
        it.next().then((step) => ({ index, step })),
      );
  };
  its.forEach((_, i) => {
    pull(i);
  });
  try {
    while (pending.size > 0) {
      const { index, step } = await Promise.race(pending.values());
      pending.delete(index);
      if (step.done === true) continue;
      yield step.value;
      pull(index);
    }
  } finally {
    controller.abort();
    await Promise.allSettled([...pending.values()]);
    await Promise.allSettled(its.map((it) => it.return?.()));
  }
}
