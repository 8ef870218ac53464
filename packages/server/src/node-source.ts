/**
 * Where the dial scheduler finds nodes. The server declares it; `@ethp2p/discovery`'s
 * `DiscoveryV4` implements it, and tests use an in-memory source. The server never imports
 * discovery.
 * @module
 */
import type { Node } from '@ethp2p/enode';

/** Options for anything that waits on the network. */
export interface SignalOptions {
  readonly signal?: AbortSignal;
}

/** A source of dial candidates. */
export interface NodeSource {
  /**
   * Nodes from the local table in random order. The iterator ends when the source has nothing
   * (more) to offer right now, or when the signal aborts.
   */
  randomNodes(options?: SignalOptions): AsyncIterable<Node>;
  /**
   * Runs a lookup for `targetPublicKey` (random when omitted) and yields the nodes it finds as
   * they are found, so the dialer can start on them before the lookup ends.
   */
  lookup(targetPublicKey?: Uint8Array, options?: SignalOptions): AsyncIterable<Node>;
  /** The newest known record for `node` (for example its current endpoint), or undefined. */
  resolve(node: Node, options?: SignalOptions): Promise<Node | undefined>;
}
