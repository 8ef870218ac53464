/**
 * The @ethereumjs/devp2p side of the server bench: N `RLPx` nodes on 127.0.0.1:0 (no DPT) and
 * an explicit `connect()` for every edge of the mesh, all issued at once, timed until every
 * node holds the target number of peers. Each peer gets an eth Status as it is added, since
 * ethereumjs drops a peer that has not exchanged one within 5 s.
 * @module
 */
import { DISCONNECT_REASON, type Peer } from '@ethereumjs/devp2p';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { createEjsNode, ethOf, listenEjs } from './ejs-node.ts';
import { untilPeers } from './peer-wait.ts';

/** One ethereumjs mesh to form. */
export interface EjsMeshConfig {
  readonly nodes: number;
  /** Each node's maxPeers (it refuses inbound peers past it, and dials while below it). */
  readonly maxPeers: number;
  /** The nodes `i` dials. */
  readonly edges: (i: number) => readonly number[];
  /** The mesh is formed once every node has at least this many peers. */
  readonly targetPeers: number;
}

/** How one formation went. */
export interface EjsMeshResult {
  readonly elapsedMs: number;
  readonly peers: readonly number[];
  /** `connect()` rejections and `peer:error`/`error` events. */
  readonly errors: number;
}

/** A Status both ends agree on (the bench only needs the exchange to complete). */
const STATUS = {
  td: Uint8Array.of(1),
  bestHash: new Uint8Array(32).fill(0x11),
  genesisHash: new Uint8Array(32).fill(0x22),
};

/** Edges still being set up when timing ends may take this long to finish before teardown. */
const SETTLE_TIMEOUT_MS = 10_000;

/**
 * Forms one mesh of ethereumjs nodes; every node is destroyed before it resolves. `destroy()`
 * only disconnects peers past Hello, so teardown first lets every edge finish (bounded), and a
 * peer that still completes Hello afterwards is disconnected at once: otherwise its ping
 * interval would keep the process alive.
 */
export async function formEjsMesh(
  config: EjsMeshConfig,
  signal: AbortSignal,
): Promise<EjsMeshResult> {
  let errors = 0;
  const onError = (): void => {
    errors++;
  };
  let closing = false;
  const keys = Array.from({ length: config.nodes }, () => generatePrivateKey());
  const nodes = keys.map((key) => createEjsNode(key, config.maxPeers, onError));
  for (const node of nodes) {
    node.events.on('peer:added', (peer: Peer) => {
      if (closing) return peer.disconnect(DISCONNECT_REASON.CLIENT_QUITTING);
      try {
        ethOf(peer).sendStatus(STATUS);
      } catch {
        errors++;
      }
    });
  }
  const edges = nodes.reduce((n, _, i) => n + config.edges(i).length, 0);
  const allUp = (): boolean => nodes.reduce((n, r) => n + r.getPeers().length, 0) >= 2 * edges;
  try {
    const started = performance.now();
    const ports = await Promise.all(nodes.map((n) => listenEjs(n, signal)));
    nodes.forEach((node, i) => {
      for (const j of config.edges(i)) {
        const id = publicKey(keys[j] as Uint8Array);
        node.connect({ id, address: '127.0.0.1', tcpPort: ports[j] ?? null }).catch(onError);
      }
    });
    const reached = () => nodes.every((n) => n.getPeers().length >= config.targetPeers);
    await untilPeers(nodes, reached, signal);
    const result = {
      elapsedMs: performance.now() - started,
      peers: nodes.map((n) => n.getPeers().length),
      errors,
    };
    await untilPeers(nodes, allUp, AbortSignal.timeout(SETTLE_TIMEOUT_MS)).catch(() => {});
    return result;
  } finally {
    closing = true;
    for (const node of nodes) node.destroy();
  }
}
