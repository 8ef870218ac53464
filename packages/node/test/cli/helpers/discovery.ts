/**
 * In-process discovery v4 nodes on 127.0.0.1 for the CLI tests.
 * @module
 */
import { silentLogger } from '@ethp2p/base';
import type { WaitForOptions } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryV4 } from '@ethp2p/discovery';
import { type Node, nodeIdToHex } from '@ethp2p/enode';

/**
 * Starts a discovery node on 127.0.0.1 with a free port. It answers FindNode with every table
 * node: with geth's liveness check, a node the table has not revalidated yet (a random wait of
 * about 3 s) would be left out whenever another one was, and the tests would race revalidation.
 */
export function startNode(bootnodes: readonly Node[] = []): Promise<DiscoveryV4> {
  return DiscoveryV4.listen({
    privateKey: generatePrivateKey(),
    bootnodes,
    logger: silentLogger,
    config: { findnodeLivenessCheck: false },
  });
}

/**
 * Whether `node`'s table holds every one of `ids`: a condition for `waitFor`, re-checked on the
 * table's `node:added` (see {@link onTableAdded}).
 */
export function tableHolds(node: DiscoveryV4, ids: readonly Uint8Array[]): () => boolean {
  const want = ids.map(nodeIdToHex);
  return () => {
    const have = new Set(node.nodes().map((n) => nodeIdToHex(n.id)));
    return want.every((id) => have.has(id));
  };
}

/** `waitFor`'s `on` for a change of `node`'s table. */
export function onTableAdded(node: DiscoveryV4): NonNullable<WaitForOptions['on']> {
  return { emitters: [node.events], events: ['node:added'] };
}
