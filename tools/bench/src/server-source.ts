/**
 * An in-memory stand-in for discovery, shared by every server of the server bench: each server
 * sees every other registered node, the moment it is registered. `lookup()` yields them all in
 * a fresh random order and ends, like a lookup that found the whole network; `randomNodes()`
 * cycles over them forever in random order and waits while there are none, like geth's
 * `RandomNodes` iterator over a table.
 * @module
 */
import type { Random } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { NodeSource, SignalOptions } from '@ethp2p/server';

/** The registry every server's view reads. */
export class MemoryNetwork {
  readonly #nodes: Node[] = [];
  readonly #random: Random;
  #waiters: (() => void)[] = [];

  constructor(random: Random) {
    this.#random = random;
  }

  /** Makes `node` visible to every other server at once. */
  register(node: Node): void {
    this.#nodes.push(node);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** The source one server uses: every registered node but `self`. */
  viewFor(self: Node): NodeSource {
    const others = (): Node[] => this.#nodes.filter((n) => !equalBytes(n.id, self.id));
    return {
      randomNodes: (options: SignalOptions = {}) => this.#cycle(others, options.signal),
      lookup: (_target?: Uint8Array, options: SignalOptions = {}) =>
        this.#once(others, options.signal),
      resolve: async (node: Node) => others().find((n) => equalBytes(n.id, node.id)),
    };
  }

  async *#once(others: () => Node[], signal: AbortSignal | undefined): AsyncGenerator<Node> {
    for (const node of this.#shuffled(others())) {
      if (signal?.aborted === true) return;
      yield node;
    }
  }

  async *#cycle(others: () => Node[], signal: AbortSignal | undefined): AsyncGenerator<Node> {
    const aborted = (): boolean => signal?.aborted === true;
    while (!aborted()) {
      const round = this.#shuffled(others());
      if (round.length === 0) {
        await this.#nextRegistration(signal);
        continue;
      }
      for (const node of round) {
        if (aborted()) return;
        yield node;
      }
    }
  }

  /** Resolves at the next `register()`, or when `signal` aborts. */
  #nextRegistration(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.push(done);
    });
  }

  #shuffled(nodes: Node[]): Node[] {
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = this.#random.intn(i + 1);
      [nodes[i], nodes[j]] = [nodes[j] as Node, nodes[i] as Node];
    }
    return nodes;
  }
}
