/**
 * `DnsNodeSource`: the nodes of a set of trees, and of the trees they link to, as the dial
 * scheduler's node source (geth `randomIterator`).
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import type { DnsClient } from './client.ts';
import { ClientTree } from './client-tree.ts';
import { parseLink, type TreeLink } from './entries.ts';
import { DnsDiscError } from './errors.ts';
import { LinkCache } from './link-cache.ts';

/** Nodes one {@link DnsNodeSource.lookup} yields (a Kademlia bucket's worth). */
export const LOOKUP_NODES = 16;

/** Options for calls that wait on the network. */
export interface DnsSignalOptions {
  readonly signal?: AbortSignal;
}

/**
 * A node source over DNS trees. It has the shape of the server's `NodeSource`:
 * `randomNodes()` walks random entries of random trees and yields each node it reaches (the same
 * node again once a tree was walked through), and ends when no tree has anything to fetch right
 * now (every tree empty, or failing) so the caller retries later; `lookup()` yields up to 16
 * such nodes; `resolve()` answers from the client's cache.
 *
 * Concurrency: the trees and their walks belong to this source, and one fetch runs at a time
 * however many iterators are read; iterators of one source share its progress.
 */
export class DnsNodeSource {
  readonly #client: DnsClient;
  readonly #links = new LinkCache();
  readonly #trees = new Map<string, ClientTree>();
  #turn: Promise<unknown> = Promise.resolve();

  /** Use {@link DnsClient.nodeSource}. */
  constructor(client: DnsClient, links: readonly TreeLink[]) {
    this.#client = client;
    for (const link of links) this.#links.addLink('', link.text);
  }

  /** The trees followed now, as `enrtree://` URLs (the given ones and those linked). */
  trees(): string[] {
    this.#rebuildTrees();
    return [...this.#trees.values()].map((t) => t.toString()).sort();
  }

  /** Random nodes of the trees; see the class comment for when it ends. */
  async *randomNodes(options: DnsSignalOptions = {}): AsyncGenerator<Node> {
    const signal = options.signal ?? new AbortController().signal;
    for (;;) {
      const next = await this.#next(signal);
      if (next === undefined) return;
      yield next;
    }
  }

  /** Up to 16 random nodes of the trees (DNS has no distance to look up by). */
  async *lookup(_target?: Uint8Array, options: DnsSignalOptions = {}): AsyncGenerator<Node> {
    let n = 0;
    for await (const node of this.randomNodes(options)) {
      yield node;
      if (++n >= LOOKUP_NODES) return;
    }
  }

  /** The newest record of `node` the client has cached, if newer than the one given. */
  async resolve(node: Node, options: DnsSignalOptions = {}): Promise<Node | undefined> {
    options.signal?.throwIfAborted();
    const cached = this.#client.cachedNode(bytesToHex(node.id));
    return cached?.kind === 'enr' && cached.node.seq > node.seq ? cached.node : undefined;
  }

  /** The next node, one fetch at a time across iterators; undefined when nothing can sync. */
  #next(signal: AbortSignal): Promise<Node | undefined> {
    const turn = this.#turn.then(() => this.#nextNode(signal));
    this.#turn = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Fetches random entries until one is a node (geth `nextNode`). Undefined when no tree can
   * sync, when every tree that can has failed since the last fetch that worked (the reader
   * comes back later instead of spinning on a dead server), or on abort.
   */
  async #nextNode(signal: AbortSignal): Promise<Node | undefined> {
    const failed = new Set<ClientTree>();
    while (!signal.aborted) {
      const tree = this.#pickTree(failed);
      if (tree === undefined) return undefined;
      try {
        const node = await tree.syncRandom(signal);
        if (node !== undefined) return node;
        failed.clear();
      } catch (err) {
        if (signal.aborted) break;
        if (!(err instanceof DnsDiscError)) throw err;
        this.#client.config.logger.debug('dns discovery sync failed', {
          tree: tree.toString(),
          err: err.message,
        });
        failed.add(tree);
      }
    }
    return undefined;
  }

  /** A random tree that can sync now, not in `failed`, after link changes (geth `pickTree`). */
  #pickTree(failed: ReadonlySet<ClientTree>): ClientTree | undefined {
    this.#rebuildTrees();
    const syncable = [...this.#trees.values()].filter((t) => !failed.has(t) && t.canSyncRandom());
    if (syncable.length === 0) return undefined;
    return syncable[this.#client.config.random.intn(syncable.length)];
  }

  /** Drops trees no longer linked and adds newly linked ones, up to the client's `maxTrees`. */
  #rebuildTrees(): void {
    if (!this.#links.changed) return;
    this.#links.changed = false;
    for (const key of this.#trees.keys()) {
      if (!this.#links.isReferenced(key)) this.#trees.delete(key);
    }
    for (const key of this.#links.trees()) {
      if (this.#trees.has(key)) continue;
      if (this.#trees.size >= this.#client.config.maxTrees) {
        this.#client.config.logger.debug('dns discovery tree limit reached', { tree: key });
        break;
      }
      this.#trees.set(
        key,
        new ClientTree(this.#client, this.#links, parseLink(`enrtree://${key}`)),
      );
    }
  }
}
