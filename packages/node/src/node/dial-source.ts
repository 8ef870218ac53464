/**
 * The dial candidates of an eth node from one discovery version: its nodes kept only when their
 * record's `eth` entry carries a fork ID of our chain. discv4 nodes get their current record
 * fetched first (EIP-868); discv5 nodes are judged by the record they came with (geth
 * `eth/backend.go` `setupDiscovery`: `enode.AsyncFilter(RandomNodes, RequestENR)` for v4, then
 * `eth.NewNodeFilter` for both).
 * @module
 */
import { checkPositiveInt } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { ETH_ENR_KEY } from '@ethp2p/eth';
import type { NodeSource, SignalOptions } from '@ethp2p/server';
import { filterParallel } from './parallel.ts';

/** ENR requests in flight at once (geth `maxParallelENRRequests`). */
export const MAX_PARALLEL_ENR_REQUESTS = 16;

/** Options of an {@link EthDialSource}. */
export interface EthDialSourceOptions {
  /**
   * Fetches a node's current record from the node itself (`DiscoveryV4.requestEnr`). Without
   * it, nodes are judged by the record they came with (`accept` drops those without one).
   */
  readonly requestEnr?: (node: Node, options: SignalOptions) => Promise<Node>;
  /** Records fetched at once (default {@link MAX_PARALLEL_ENR_REQUESTS}). */
  readonly parallel?: number;
}

/**
 * A {@link NodeSource} for the server over one discovery version: `randomNodes` and `lookup`
 * yield only nodes whose record passes `accept` (normally `compatibleNodeFilter` of the chain's
 * fork filter). With `requestEnr`, a node not already carrying an `eth` entry has its record
 * fetched first, and is dropped when it does not answer. `resolve` is discovery's.
 */
export class EthDialSource implements NodeSource {
  readonly #disc: NodeSource;
  readonly #accept: (node: Node) => boolean;
  readonly #requestEnr: EthDialSourceOptions['requestEnr'];
  readonly #parallel: number;

  /** @throws {RangeError} unless `parallel` is a positive integer */
  constructor(
    disc: NodeSource,
    accept: (node: Node) => boolean,
    options: EthDialSourceOptions = {},
  ) {
    this.#disc = disc;
    this.#accept = accept;
    this.#requestEnr = options.requestEnr;
    this.#parallel = checkPositiveInt('parallel', options.parallel ?? MAX_PARALLEL_ENR_REQUESTS);
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
    const request = this.#requestEnr;
    const withRecord =
      node.record?.get(ETH_ENR_KEY) !== undefined || request === undefined
        ? node
        : await request(node, { signal });
    return this.#accept(withRecord) ? withRecord : undefined;
  }
}
