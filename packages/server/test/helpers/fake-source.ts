/**
 * An in-memory {@link NodeSource} for tests: the test sets the table that `randomNodes()` walks,
 * pushes nodes into lookups as if the network had just answered, and sets what `resolve()`
 * returns. Every call is recorded. All waits honour the caller's signal.
 */
import type { Node } from '@ethp2p/enode';
import { nodeIdToHex } from '@ethp2p/enode';
import type { NodeSource, SignalOptions } from '../../src/node-source.ts';

/** Options of {@link FakeNodeSource}. */
export interface FakeNodeSourceOptions {
  /**
   * End each lookup once it has yielded every queued node (default false: a lookup stays open,
   * yielding nodes as `discover` pushes them, until `finishLookup` or its signal aborts).
   */
  readonly finishWhenEmpty?: boolean;
}

/** A controllable node source. */
export class FakeNodeSource implements NodeSource {
  /** How many times `lookup` was called. */
  lookupCalls = 0;
  /** How many times `randomNodes` was iterated. */
  randomCalls = 0;
  /** Nodes passed to `resolve`, in order. */
  readonly resolveCalls: Node[] = [];
  #table: Node[] = [];
  readonly #queue: Node[] = [];
  readonly #resolved = new Map<string, Node | undefined>();
  readonly #finishWhenEmpty: boolean;
  #activeLookups = 0;
  #finishRequested = false;
  #wake: (() => void) | undefined;

  constructor(options: FakeNodeSourceOptions = {}) {
    this.#finishWhenEmpty = options.finishWhenEmpty ?? false;
  }

  /** Lookups running now. */
  get activeLookups(): number {
    return this.#activeLookups;
  }

  /** Nodes queued for lookups and not yet yielded. */
  get queued(): number {
    return this.#queue.length;
  }

  /** The nodes each `randomNodes()` iteration yields, in this order, before it ends. */
  setTable(nodes: readonly Node[]): void {
    this.#table = [...nodes];
  }

  /** Queues nodes for the running lookup (or the next one), which yields them at once. */
  discover(...nodes: Node[]): void {
    this.#queue.push(...nodes);
    this.#notify();
  }

  /** Ends the running lookup once its queue is empty; no effect when none runs. */
  finishLookup(): void {
    if (this.#activeLookups === 0) return;
    this.#finishRequested = true;
    this.#notify();
  }

  /** What `resolve(node)` returns from now on (`undefined`: not found). */
  setResolve(node: Node, result: Node | undefined): void {
    this.#resolved.set(nodeIdToHex(node.id), result);
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    const signal = options.signal;
    return {
      [Symbol.asyncIterator]: () => {
        this.randomCalls++;
        return this.#walk([...this.#table], signal);
      },
    };
  }

  async *lookup(_target?: Uint8Array, options: SignalOptions = {}): AsyncGenerator<Node> {
    const signal = options.signal;
    this.lookupCalls++;
    this.#activeLookups++;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const next = this.#queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#finishWhenEmpty || this.#finishRequested) {
          this.#finishRequested = false;
          return;
        }
        await this.#changed(signal);
      }
    } finally {
      this.#activeLookups--;
    }
  }

  async resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    options.signal?.throwIfAborted();
    this.resolveCalls.push(node);
    return this.#resolved.get(nodeIdToHex(node.id));
  }

  async *#walk(nodes: Node[], signal: AbortSignal | undefined): AsyncGenerator<Node> {
    for (const node of nodes) {
      if (signal?.aborted === true) return;
      yield node;
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #changed(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const previous = this.#wake;
      this.#wake = () => {
        signal?.removeEventListener('abort', onAbort);
        previous?.();
        resolve();
      };
    });
  }
}
