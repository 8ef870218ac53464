/**
 * The dial candidates of an eth node: discovery's nodes, each with its current record fetched
 * (EIP-868), kept only when the record's `eth` entry carries a fork ID of our chain (geth
 * `eth/backend.go`: `enode.AsyncFilter(RandomNodes, RequestENR)` then `eth.NewNodeFilter`).
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { ETH_ENR_KEY } from '@ethp2p/eth';
import type { NodeSource, SignalOptions } from '@ethp2p/server';
import { filterParallel } from './parallel.ts';

/** ENR requests in flight at once (geth `maxParallelENRRequests`). */
export const MAX_PARALLEL_ENR_REQUESTS = 16;

/** What {@link EthDialSource} needs from discovery (`DiscoveryV4` has it). */
export interface DiscoverySource extends NodeSource {
  /** The node's current record, fetched from the node itself. */
  requestEnr(node: Node, options?: SignalOptions): Promise<Node>;
}

/**
 * A {@link NodeSource} for the server over discovery: `randomNodes` and `lookup` yield only
 * nodes whose fetched record passes `accept` (normally `compatibleNodeFilter` of the chain's
 * fork filter); a node already carrying an `eth` entry is judged without a request. Nodes that
 * do not answer the ENR request are dropped. `resolve` is discovery's.
 */
export class EthDialSource implements NodeSource {
  readonly #disc: DiscoverySource;
  readonly #accept: (node: Node) => boolean;
  readonly #parallel: number;

  /** @throws {RangeError} unless `parallel` is a positive integer */
  constructor(
    disc: DiscoverySource,
    accept: (node: Node) => boolean,
    parallel: number = MAX_PARALLEL_ENR_REQUESTS,
  ) {
    this.#disc = disc;
    this.#accept = accept;
    this.#parallel = checkPositiveInt('parallel', parallel);
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#filtered((signal) => this.#disc.randomNodes({ signal }), options.signal);
  }

  lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#filtered(
      (signal) => this.#disc.lookup(targetPublicKey, { signal }),
      options.signal,
    );
  }

  resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    return this.#disc.resolve(node, options);
  }

  #filtered(
    open: (signal: AbortSignal) => AsyncIterable<Node>,
    signal: AbortSignal | undefined,
  ): AsyncIterable<Node> {
    return filterParallel(open, (node, s) => this.#check(node, s), this.#parallel, signal);
  }

  async #check(node: Node, signal: AbortSignal): Promise<Node | undefined> {
    const withRecord =
      node.record?.get(ETH_ENR_KEY) !== undefined
        ? node
        : await this.#disc.requestEnr(node, { signal });
    return this.#accept(withRecord) ? withRecord : undefined;
  }
}
