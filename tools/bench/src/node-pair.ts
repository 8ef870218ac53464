/**
 * Two full nodes on loopback for the sync and receipts suites: a seed holding a chain and a
 * follower that dials it, neither discovering nor printing status.
 * @module
 */
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import type { ChainReader, ServeBudgetOptions } from '@ethp2p/eth';
import { FullNode } from '@ethp2p/node';

/** Options of {@link startNodePair}. */
export interface NodePairOptions {
  /** The directory the nodes' datadirs go under. */
  readonly dir: string;
  readonly seedChain: ChainReader;
  readonly followerChain: ChainReader;
  /** Whether the follower syncs from the seed (default true). */
  readonly sync?: boolean;
  /** The eth versions both offer (default the node's). */
  readonly ethVersions?: readonly number[];
  /** The seed's serve budget per peer (default the node's). */
  readonly seedServeBudget?: Omit<ServeBudgetOptions, 'clock'>;
}

/** A started pair; `stop` stops both (the chains stay with their owner). */
export interface NodePair {
  readonly seed: FullNode;
  readonly follower: FullNode;
  stop(): Promise<void>;
}

/** Starts the seed, then the follower with the seed as its static node. */
export async function startNodePair(options: NodePairOptions): Promise<NodePair> {
  const common = {
    listenIp: '127.0.0.1',
    port: 0,
    discovery: false,
    statusIntervalMs: 0,
    logger: silentLogger,
    sync: options.sync ?? true,
    ...(options.ethVersions === undefined ? {} : { ethVersions: options.ethVersions }),
  } as const;
  const seed = new FullNode({
    ...common,
    datadir: join(options.dir, 'seed'),
    chain: options.seedChain,
    ...(options.seedServeBudget === undefined ? {} : { serveBudget: options.seedServeBudget }),
  });
  await seed.start();
  const follower = new FullNode({
    ...common,
    datadir: join(options.dir, 'follower'),
    chain: options.followerChain,
    staticNodes: [seed.self()],
  });
  const stop = async (): Promise<void> => {
    await follower.stop();
    await seed.stop();
  };
  try {
    await follower.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { seed, follower, stop };
}
