/**
 * Several node sources as one for the dial scheduler: discovery and DNS trees. The simplest
 * correct mix until the scheduler draws from its sources fairly (geth `enode.FairMix`): each
 * source is read concurrently, one node ahead, and nodes come in the order they arrive, so a
 * stalled source never holds up the others.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { NodeSource, SignalOptions } from '@ethp2p/server';

/**
 * A {@link NodeSource} over `sources`: `randomNodes` and `lookup` merge the sources' streams and
 * end when all have ended (a source that fails counts as ended); `resolve` asks each source in
 * turn and returns the first answer.
 */
export class MergedSource implements NodeSource {
  readonly #sources: readonly NodeSource[];

  constructor(sources: readonly NodeSource[]) {
    this.#sources = [...sources];
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return merge(
      this.#sources.map((s) => (signal: AbortSignal) => s.randomNodes({ signal })),
      options.signal,
    );
  }

  lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return merge(
      this.#sources.map((s) => (signal: AbortSignal) => s.lookup(targetPublicKey, { signal })),
      options.signal,
    );
  }

  async resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    for (const source of this.#sources) {
      const found = await source.resolve(node, options);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

type Pull = { readonly index: number; readonly result: IteratorResult<Node> };

/**
 * The items of every `open(signal)` stream as they arrive. The streams are opened with a signal
 * that aborts when the consumer stops (or `signal` aborts), which ends them.
 */
async function* merge(
  opens: readonly ((signal: AbortSignal) => AsyncIterable<Node>)[],
  signal: AbortSignal | undefined,
): AsyncGenerator<Node> {
  const controller = new AbortController();
  const inner =
    signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  const iterators = opens.map((open) => open(inner)[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Pull>>();
  const pull = (index: number): void => {
    const iterator = iterators[index];
    if (iterator === undefined) return;
    pending.set(
      index,
      iterator.next().then(
        (result) => ({ index, result }),
        () => ({ index, result: { done: true, value: undefined } }),
      ),
    );
  };
  for (let i = 0; i < iterators.length; i++) pull(i);
  try {
    while (pending.size > 0 && !inner.aborted) {
      const { index, result } = await Promise.race(pending.values());
      pending.delete(index);
      if (result.done) continue;
      pull(index);
      yield result.value;
    }
  } finally {
    controller.abort();
    await Promise.all(pending.values());
    await Promise.all(iterators.map((it) => it.return?.().catch(() => undefined)));
  }
}
