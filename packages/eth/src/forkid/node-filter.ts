/**
 * Picks dial candidates by the fork ID in their record's `eth` entry, so the dialer only spends
 * slots on nodes of the same chain (geth `eth/protocols/eth/discovery.go` `NewNodeFilter`).
 * @module
 */
import type { Node } from '@ethp2p/enode';
import { EthError } from '../errors.ts';
import { decodeEthEnrEntry, ETH_ENR_KEY } from './codec.ts';
import type { ForkFilter } from './filter.ts';
import type { ForkId } from './fork-id.ts';

/**
 * A predicate that keeps nodes whose record has an `eth` entry with a fork ID `filter` accepts.
 * Nodes without a record, without an `eth` entry or with a malformed one are rejected, as geth's
 * eth dial filter does. A node never makes it throw (only a failing head callback can).
 * @example `const keep = compatibleNodeFilter(newForkFilter(MAINNET, head)); if (keep(node)) dial(node)`
 */
export function compatibleNodeFilter(filter: ForkFilter): (node: Node) => boolean {
  return (node: Node): boolean => {
    const raw = node.record?.get(ETH_ENR_KEY);
    if (raw === undefined) return false;
    let id: ForkId;
    try {
      id = decodeEthEnrEntry(raw);
    } catch (err) {
      if (err instanceof EthError) return false;
      throw err;
    }
    return filter.validate(id) === null;
  };
}
