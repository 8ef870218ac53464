/**
 * In-process discovery v4 nodes on 127.0.0.1 for the CLI tests.
 * @module
 */
import { silentLogger } from '@ethp2p/base';
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

/** Resolves once `node`'s table holds every one of `ids`; rejects when `signal` aborts. */
export function waitForTable(
  node: DiscoveryV4,
  ids: readonly Uint8Array[],
  signal: AbortSignal,
): Promise<void> {
  const want = new Set(ids.map(nodeIdToHex));
  const done = (): boolean => {
    const have = new Set(node.nodes().map((n) => nodeIdToHex(n.id)));
    return [...want].every((id) => have.has(id));
  };
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAdded = (): void => {
      if (!done()) return;
      cleanup();
      resolve();
    };
    const onAbort = (): void => {
      cleanup();
      reject(new Error(`table has ${node.nodes().length} nodes, want ${want.size}`));
    };
    const cleanup = (): void => {
      node.events.off('node:added', onAdded);
      signal.removeEventListener('abort', onAbort);
    };
    node.events.on('node:added', onAdded);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
