/**
 * The ethp2p node `pnpm bench peers` measures: a full node on 127.0.0.1:0 with the sepolia
 * genesis, no discovery, no dialing and no sync, taking `maxPeers` inbound peers at up to 100
 * handshakes at once (all from one IP).
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { FullNode, networkChain } from '@ethp2p/node';

/** A started bench node; `stop` also removes its datadir. */
export interface BenchNode {
  readonly node: FullNode;
  stop(): Promise<void>;
}

/** Starts the node in a fresh temporary datadir. */
export async function startBenchNode(maxPeers: number): Promise<BenchNode> {
  const datadir = await mkdtemp(join(tmpdir(), 'ethp2p-peers-'));
  const node = new FullNode({
    datadir,
    chain: networkChain('sepolia'),
    listenIp: '127.0.0.1',
    port: 0,
    discovery: false,
    noDial: true,
    sync: false,
    statusIntervalMs: 0,
    logger: silentLogger,
    maxPeers,
    maxPendingPeers: 100,
    maxPendingPerIp: 100,
  });
  try {
    await node.start();
  } catch (err) {
    await rm(datadir, { recursive: true, force: true });
    throw err;
  }
  return {
    node,
    async stop() {
      await node.stop();
      await rm(datadir, { recursive: true, force: true });
    },
  };
}
