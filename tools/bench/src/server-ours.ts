/**
 * The ethp2p side of the server bench: N `Server`s on 127.0.0.1:0 that find each other through
 * a shared {@link MemoryNetwork} and dial on their own (dial scheduler: random nodes and
 * lookups), timed until every one of them holds its target number of peers.
 * @module
 */
import { seededRandom } from '@ethp2p/base';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { type Protocol, Server } from '@ethp2p/server';
import { untilPeers } from './peer-wait.ts';
import { MemoryNetwork } from './server-source.ts';

/** One mesh to form. */
export interface MeshConfig {
  /** Row label. */
  readonly label: string;
  /** How many nodes. */
  readonly nodes: number;
  /** Each server's MaxPeers. */
  readonly maxPeers: number;
  /** Each server's DialRatio (it dials up to MaxPeers / DialRatio peers). */
  readonly dialRatio: number;
  /** The mesh is formed once every node has at least this many peers. */
  readonly targetPeers: number;
  /** Dial history expiry of each server in ms (default geth's 35 s). */
  readonly historyExpirationMs?: number;
}

/** How one formation went. */
export interface MeshResult {
  /** From the first `start()` until every node reached the target, in ms. */
  readonly elapsedMs: number;
  /** Peers of each node at that moment. */
  readonly peers: readonly number[];
  /** Dynamic dials measured for the discovery-to-dial latency (all servers). */
  readonly latencyCount: number;
  /** Mean and max discovery-to-dial latency in ms, or NaN without dials. */
  readonly latencyMeanMs: number;
  readonly latencyMaxMs: number;
  /** Dial attempts and failed dial tasks, all servers. */
  readonly attempts: number;
  readonly failed: number;
}

/** A protocol that only reads until the peer ends: the mesh needs one shared capability. */
const IDLE_PROTOCOL: Protocol = {
  name: 'bench',
  version: 1,
  length: 1,
  async run(_peer, rw, { signal }) {
    while (!signal.aborted) await rw.readMsg().catch(() => undefined);
  },
};

/** Forms one mesh of ethp2p servers; every server is stopped before it resolves. */
export async function formOurMesh(
  config: MeshConfig,
  seed: number,
  signal: AbortSignal,
): Promise<MeshResult> {
  const network = new MemoryNetwork(seededRandom(seed));
  const servers = Array.from({ length: config.nodes }, (_, i) => {
    const privateKey = generatePrivateKey();
    return new Server({
      privateKey,
      listenAddress: '127.0.0.1:0',
      maxPeers: config.maxPeers,
      dialRatio: config.dialRatio,
      protocols: [IDLE_PROTOCOL],
      random: seededRandom(seed * 1000 + i + 1),
      ...(config.historyExpirationMs === undefined
        ? {}
        : { dialer: { historyExpirationMs: config.historyExpirationMs } }),
      nodeSource: network.viewFor(Node.fromPublicKey(publicKey(privateKey))),
    });
  });
  try {
    const started = performance.now();
    await Promise.all(servers.map((s) => s.start().then(() => network.register(s.self()))));
    await untilPeers(
      servers,
      () => servers.every((s) => s.peerCount() >= config.targetPeers),
      signal,
    );
    const elapsedMs = performance.now() - started;
    const metrics = servers.map((s) => s.dialMetrics);
    const latencyCount = metrics.reduce((n, m) => n + m.latency.count, 0);
    const latencyTotal = metrics.reduce((n, m) => n + m.latency.totalMs, 0);
    return {
      elapsedMs,
      peers: servers.map((s) => s.peerCount()),
      latencyCount,
      latencyMeanMs: latencyCount === 0 ? Number.NaN : latencyTotal / latencyCount,
      latencyMaxMs:
        latencyCount === 0 ? Number.NaN : Math.max(...metrics.map((m) => m.latency.maxMs)),
      attempts: metrics.reduce((n, m) => n + m.attempts, 0),
      failed: metrics.reduce((n, m) => n + m.failed, 0),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
